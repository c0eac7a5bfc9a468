/**
 * @module store/open-postgres.test
 * What only the PostgreSQL store does: redacted locations, unreachable servers, and several
 * instances sharing one schema.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { redactConnectionString } from "./open-postgres.js";
import { openStore } from "./open-store.js";
import { StoreConflictError, StoreUnavailableError, type NewCredential, type Store } from "./store-types.js";

const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const credential = (name: string): NewCredential => ({
  name,
  kind: "openai",
  baseUrl: null,
  apiKeyEnvelope: "v1:k:iv:ct:tag",
  serviceUrls: {},
  serviceKeysEnvelope: null,
  headersEnvelope: null,
  providerFields: {},
  enabled: true,
  priority: 0,
});

describe("redactConnectionString", () => {
  it("drops the password and query parameters from URLs", () => {
    expect(redactConnectionString("postgres://sy:hunter2@db.internal:5433/switchyard?sslmode=require&password=x")).toBe(
      "postgres://sy@db.internal:5433/switchyard",
    );
  });

  it("masks passwords in keyword/value strings", () => {
    expect(redactConnectionString("host=db user=sy password='hunter 2' dbname=s")).toBe("host=db user=sy password=*** dbname=s");
  });
});

describe("PostgreSQL store, unreachable", () => {
  it("fails with StoreUnavailableError naming the server but never the password", async () => {
    const failure = await openStore({ kind: "postgres", connectionString: "postgres://sy:hunter2@127.0.0.1:1/test" }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^Cannot reach PostgreSQL at postgres:\/\/sy@127\.0\.0\.1:1\/test \(schema public\): ECONNREFUSED\./);
    expect(message).not.toContain("hunter2");
  });

  it("rejects a schema name that would need quoting", async () => {
    await expect(openStore({ kind: "postgres", connectionString: POSTGRES_URL, schema: "Robert'); drop" })).rejects.toThrow(TypeError);
  });
});

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

const reachable = await postgresReachable();
if (!reachable) console.warn(`Skipping the shared-PostgreSQL tests: nothing answers at ${POSTGRES_URL}.`);

describe.skipIf(!reachable)(`PostgreSQL store shared by several instances${reachable ? "" : " (skipped: not reachable)"}`, () => {
  const schema = `store_shared_${process.pid}_${Date.now()}`;
  const opened: Store[] = [];
  const open = async (): Promise<Store> => {
    const store = await openStore({ kind: "postgres", connectionString: POSTGRES_URL, schema });
    opened.push(store);
    return store;
  };

  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it("migrates once when instances start together, then lets exactly one of two racing updates win", async () => {
    const [first, second] = await Promise.all([open(), open(), open()]);
    if (first === undefined || second === undefined) throw new Error("expected two stores");
    expect(first.location).toBe(`${POSTGRES_URL} (schema ${schema})`);

    const created = await first.createCredential(credential("shared"));
    const revisionSeenBySecond = await second.revision();
    expect(revisionSeenBySecond).toBe(await first.revision());

    const outcomes = await Promise.allSettled([
      first.updateCredential(created.id, { priority: 1 }, created.version),
      second.updateCredential(created.id, { priority: 2 }, created.version),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(rejected?.status === "rejected" ? rejected.reason : undefined).toBeInstanceOf(StoreConflictError);
    expect((await second.getCredential("shared"))?.version).toBe(2);
    expect(await second.revision()).toBeGreaterThan(revisionSeenBySecond);
  });
});
