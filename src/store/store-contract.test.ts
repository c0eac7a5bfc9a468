/**
 * @module store/store-contract.test
 * One behavioural suite for every Store implementation, run against SQLite in a temporary directory
 * and against PostgreSQL in a fresh schema that is dropped afterwards.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATION_TABLE } from "./database-schema.js";
import { KEY_HASH_SECRET_META_KEY } from "./migrations/0002-gateway-keys.js";
import { LATEST_SCHEMA_VERSION } from "./migrations/index.js";
import { openStore, StoreNotFoundError } from "./open-store.js";
import {
  StoreConflictError,
  StoreDuplicateError,
  StoreUnavailableError,
  type CredentialRecord,
  type NewCredential,
  type NewGatewayKey,
  type NewModel,
  type Store,
} from "./store-types.js";

/** One database under test: reopenable, inspectable without the store, disposable. */
interface StoreHarness {
  /** Opens (and migrates) the same database again. */
  open(): Promise<Store>;
  /** The raw `credentials` row, bypassing the store's mapping. */
  rawCredential(id: string): Promise<Record<string, unknown> | undefined>;
  /** Records a migration in the log as if another build had run it. */
  insertMigration(name: string): Promise<void>;
  dispose(): Promise<void>;
}

const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function credentialInput(overrides: Partial<NewCredential> = {}): NewCredential {
  return {
    name: "local",
    kind: "ollama",
    baseUrl: "http://127.0.0.1:11434/v1",
    apiKeyEnvelope: null,
    serviceUrls: {},
    serviceKeysEnvelope: null,
    headersEnvelope: null,
    providerFields: {},
    enabled: true,
    priority: 0,
    ...overrides,
  };
}

function modelInput(credential: CredentialRecord, name: string, overrides: Partial<NewModel> = {}): NewModel {
  return {
    id: `${credential.name}/${name}`,
    credentialId: credential.id,
    name,
    upstreamModel: name,
    displayName: null,
    type: "chat",
    contextWindow: null,
    capabilities: [],
    inputPricePerMillion: null,
    outputPricePerMillion: null,
    ...overrides,
  };
}

function gatewayKeyInput(tag: string, overrides: Partial<NewGatewayKey> = {}): NewGatewayKey {
  return { name: `key ${tag}`, keyHash: `hash-${tag}`, keyPrefix: `sk-sy-${tag.repeat(4)}`, models: null, rpm: null, tpm: null, expiresAt: null, ...overrides };
}

/** The shared contract: every Store must pass all of it. */
export function describeStoreContract(name: string, openFresh: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      harness = await openFresh();
      store = await harness.open();
    });
    afterEach(async () => harness.dispose());

    it("creates, finds by id or name, lists, updates and deletes credentials", async () => {
      const created = await store.createCredential(credentialInput({ name: "groq", priority: 2 }));
      const other = await store.createCredential(credentialInput({ name: "alpha", priority: 1 }));
      expect(created).toMatchObject({ name: "groq", version: 1, enabled: true, lastTest: null });
      expect(await store.getCredential(created.id)).toEqual(created);
      expect(await store.getCredential("groq")).toEqual(created);
      expect(await store.getCredential("missing")).toBeUndefined();
      expect((await store.listCredentials()).map((credential) => credential.name)).toEqual(["alpha", "groq"]);

      const updated = await store.updateCredential(created.id, { enabled: false, baseUrl: null });
      expect(updated).toMatchObject({ enabled: false, baseUrl: null, version: 2, createdAt: created.createdAt });
      await expect(store.updateCredential("no-such-id", { priority: 1 })).rejects.toBeInstanceOf(StoreNotFoundError);

      expect(await store.deleteCredential(created.id)).toBe(true);
      expect(await store.deleteCredential(created.id)).toBe(false);
      expect(await store.listCredentials()).toEqual([other]);
    });

    it("round-trips JSON fields and stores secret envelopes verbatim", async () => {
      const envelope = "v1:key-2024:bm9uY2U=:Y2lwaGVydGV4dA==:dGFn";
      const lastTest = { ok: false, at: "2025-01-02T03:04:05.000Z", latencyMs: null, message: "401: key rejected" };
      const created = await store.createCredential(
        credentialInput({
          apiKeyEnvelope: envelope,
          serviceKeysEnvelope: `${envelope}-services`,
          headersEnvelope: `${envelope}-headers`,
          serviceUrls: { embedding: "http://10.0.0.2:8080/v1", tts: "http://10.0.0.3/v1" },
          providerFields: { apiVersion: "2024-10-21", deployments: { "gpt-4o": "prod-4o" }, retries: [1, 2] },
          lastTest,
        }),
      );
      const read = await store.getCredential(created.id);
      expect(read?.serviceUrls).toEqual({ embedding: "http://10.0.0.2:8080/v1", tts: "http://10.0.0.3/v1" });
      expect(read?.providerFields).toEqual({ apiVersion: "2024-10-21", deployments: { "gpt-4o": "prod-4o" }, retries: [1, 2] });
      expect(read?.lastTest).toEqual(lastTest);
      const raw = await harness.rawCredential(created.id);
      expect(raw).toMatchObject({
        api_key_envelope: envelope,
        service_keys_envelope: `${envelope}-services`,
        headers_envelope: `${envelope}-headers`,
      });
    });

    it("creates, updates and deletes models, and rejects a model for an unknown credential", async () => {
      const credential = await store.createCredential(credentialInput());
      const model = await store.createModel(
        modelInput(credential, "llama3.1:8b", { contextWindow: 131072, capabilities: ["tools", "streaming"], inputPricePerMillion: 0.15 }),
      );
      expect(model).toMatchObject({ id: "local/llama3.1:8b", contextWindow: 131072, capabilities: ["tools", "streaming"], inputPricePerMillion: 0.15 });
      expect(await store.getModel(model.id)).toEqual(model);

      const updated = await store.updateModel(model.id, { displayName: "Llama", type: "embedding", outputPricePerMillion: 0.6 });
      expect(updated).toMatchObject({ displayName: "Llama", type: "embedding", outputPricePerMillion: 0.6, contextWindow: 131072 });
      await expect(store.updateModel("local/none", { displayName: "x" })).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.createModel({ ...modelInput(credential, "x"), credentialId: "ghost" })).rejects.toBeInstanceOf(StoreNotFoundError);

      expect(await store.listModels()).toEqual([updated]);
      expect(await store.deleteModel(model.id)).toBe(true);
      expect(await store.deleteModel(model.id)).toBe(false);
      expect(await store.getModel(model.id)).toBeUndefined();
    });

    it("deletes a credential's models and their defaults with it", async () => {
      const local = await store.createCredential(credentialInput());
      const cloud = await store.createCredential(credentialInput({ name: "cloud" }));
      const chat = await store.createModel(modelInput(local, "chat-model"));
      await store.createModel(modelInput(local, "embed-model", { type: "embedding" }));
      const kept = await store.createModel(modelInput(cloud, "kept"));
      await store.setDefault("chat", chat.id);
      await store.setDefault("embedding", kept.id);

      await store.deleteCredential(local.id);
      expect(await store.listModels()).toEqual([kept]);
      expect(await store.getDefaults()).toEqual({ embedding: kept.id });
    });

    it("sets, replaces and clears defaults, and drops a default whose model is deleted", async () => {
      const credential = await store.createCredential(credentialInput());
      const first = await store.createModel(modelInput(credential, "first"));
      const second = await store.createModel(modelInput(credential, "second"));
      await store.setDefault("chat", first.id);
      await store.setDefault("chat", second.id);
      await store.setDefault("tts", first.id);
      expect(await store.getDefaults()).toEqual({ chat: second.id, tts: first.id });
      await store.setDefault("tts", null);
      expect(await store.getDefaults()).toEqual({ chat: second.id });
      await expect(store.setDefault("stt", "local/ghost")).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.deleteModel(second.id);
      expect(await store.getDefaults()).toEqual({});
    });

    it("stores and overwrites meta values", async () => {
      expect(await store.getMeta("encryption.key-id")).toBeUndefined();
      await store.setMeta("encryption.key-id", "k1");
      await store.setMeta("encryption.key-id", "k2");
      expect(await store.getMeta("encryption.key-id")).toBe("k2");
    });

    it("lets exactly one of two updates based on the same version win; the other can retry", async () => {
      const credential = await store.createCredential(credentialInput());
      const outcomes = await Promise.allSettled([
        store.updateCredential(credential.id, { priority: 5 }, credential.version),
        store.updateCredential(credential.id, { enabled: false }, credential.version),
      ]);
      const winners = outcomes.filter((outcome) => outcome.status === "fulfilled");
      const losers = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(StoreConflictError);

      const current = await store.getCredential(credential.id);
      expect(current?.version).toBe(2);
      const retried = await store.updateCredential(credential.id, { priority: 5, enabled: false }, 2);
      expect(retried).toMatchObject({ version: 3, priority: 5, enabled: false });
    });

    it("rejects duplicate credential names and model ids with StoreDuplicateError", async () => {
      const credential = await store.createCredential(credentialInput({ name: "groq" }));
      const other = await store.createCredential(credentialInput({ name: "other" }));
      await expect(store.createCredential(credentialInput({ name: "groq" }))).rejects.toBeInstanceOf(StoreDuplicateError);
      await expect(store.updateCredential(other.id, { name: "groq" })).rejects.toThrow(/named "groq" already exists/);
      await store.createModel(modelInput(credential, "m"));
      await expect(store.createModel(modelInput(credential, "m"))).rejects.toBeInstanceOf(StoreDuplicateError);
      await expect(store.createModel({ ...modelInput(credential, "m"), id: "alias" })).rejects.toThrow(/already has a model named "m"/);
      expect(await store.listCredentials()).toHaveLength(2);
    });

    it("rolls a failed transaction back completely and commits a successful one", async () => {
      const before = await store.revision();
      await expect(
        store.transaction(async (transaction) => {
          const credential = await transaction.createCredential(credentialInput());
          await transaction.createModel(modelInput(credential, "m"));
          await transaction.setMeta("k", "v");
          throw new Error("abort the import");
        }),
      ).rejects.toThrow("abort the import");
      expect(await store.listCredentials()).toEqual([]);
      expect(await store.listModels()).toEqual([]);
      expect(await store.getMeta("k")).toBeUndefined();
      expect(await store.revision()).toBe(before);

      const names = await store.transaction(async (transaction) => {
        await transaction.createCredential(credentialInput({ name: "a" }));
        // A failed write inside a transaction is undone alone (savepoint); the rest carries on.
        await expect(transaction.createCredential(credentialInput({ name: "a" }))).rejects.toBeInstanceOf(StoreDuplicateError);
        await transaction.transaction((nested) => nested.createCredential(credentialInput({ name: "b" })));
        return (await transaction.listCredentials()).map((credential) => credential.name);
      });
      expect(names).toEqual(["a", "b"]);
      expect((await store.listCredentials()).map((credential) => credential.name)).toEqual(["a", "b"]);
    });

    it("grows the revision with every write and not with reads", async () => {
      const start = await store.revision();
      const credential = await store.createCredential(credentialInput());
      const afterCreate = await store.revision();
      expect(afterCreate).toBeGreaterThan(start);
      await store.listCredentials();
      await store.getCredential(credential.id);
      expect(await store.revision()).toBe(afterCreate);
      await store.updateCredential(credential.id, { priority: 3 });
      await store.setMeta("k", "v");
      expect(await store.revision()).toBe(afterCreate + 2);
    });

    it("creates, lists, gets and revokes gateway keys, keeping revoked ones and the first revocation time", async () => {
      const first = await store.createGatewayKey(gatewayKeyInput("a"));
      const second = await store.createGatewayKey(gatewayKeyInput("b", { models: ["ollama/*", "groq/llama"], rpm: 60, tpm: 10_000, expiresAt: "2030-01-31T00:00:00.000Z" }));
      expect(first).toMatchObject({ name: "key a", keyHash: "hash-a", keyPrefix: "sk-sy-aaaa", models: null, rpm: null, tpm: null, expiresAt: null, revokedAt: null });
      expect(second).toMatchObject({ models: ["ollama/*", "groq/llama"], rpm: 60, tpm: 10_000, expiresAt: "2030-01-31T00:00:00.000Z" });
      expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.getGatewayKey(second.id)).toEqual(second);
      expect((await store.listGatewayKeys()).map((key) => key.id).sort()).toEqual([first.id, second.id].sort());
      const revoked = await store.revokeGatewayKey(first.id);
      expect(revoked?.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const again = await store.revokeGatewayKey(first.id);
      expect(again?.revokedAt).toBe(revoked?.revokedAt);
      expect(await store.revokeGatewayKey("no-such-key")).toBeUndefined();
      expect(await store.getGatewayKey("no-such-key")).toBeUndefined();
      expect(await store.listGatewayKeys()).toHaveLength(2);
    });

    it("rejects a gateway key whose hash is taken, and counts key writes as revisions", async () => {
      const before = await store.revision();
      const key = await store.createGatewayKey(gatewayKeyInput("a"));
      await expect(store.createGatewayKey(gatewayKeyInput("a", { name: "other" }))).rejects.toBeInstanceOf(StoreDuplicateError);
      await store.revokeGatewayKey(key.id);
      expect(await store.revision()).toBe(before + 2);
    });

    it("has a 32-byte key-hashing secret from the migration that stays the same when reopened", async () => {
      const secret = await store.getMeta(KEY_HASH_SECRET_META_KEY);
      expect(Buffer.from(secret ?? "", "base64url")).toHaveLength(32);
      await store.close();
      store = await harness.open();
      expect(await store.getMeta(KEY_HASH_SECRET_META_KEY)).toBe(secret);
    });

    it("keeps data and schema when reopened (migrations are idempotent)", async () => {
      const credential = await store.createCredential(credentialInput());
      const revision = await store.revision();
      await store.close();
      store = await harness.open();
      const again = await harness.open();
      expect(await store.getCredential(credential.id)).toEqual(credential);
      expect(await again.revision()).toBe(revision);
    });

    it("refuses, changing nothing, a database migrated by a newer Switchyard", async () => {
      const credential = await store.createCredential(credentialInput());
      await harness.insertMigration("9999_from_the_future");
      const refusal = await harness.open().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(StoreUnavailableError);
      expect((refusal as Error).message).toMatch(
        new RegExp(`created by a newer Switchyard \\(schema version 9999, this build knows up to ${LATEST_SCHEMA_VERSION}\\)\\. Upgrade Switchyard; nothing was changed\\.`),
      );
      expect(await harness.rawCredential(credential.id)).toMatchObject({ name: "local" });
    });
  });
}

async function sqliteHarness(): Promise<StoreHarness> {
  const directory = await mkdtemp(join(tmpdir(), "switchyard-store-"));
  const file = join(directory, "switchyard.db");
  const opened: Store[] = [];
  const withRaw = <T>(work: (database: BetterSqlite3.Database) => T): T => {
    const database = new BetterSqlite3(file);
    try {
      return work(database);
    } finally {
      database.close();
    }
  };
  return {
    open: async () => {
      const store = await openStore({ kind: "sqlite", file });
      opened.push(store);
      return store;
    },
    rawCredential: async (id) =>
      withRaw((database) => database.prepare("select * from credentials where id = ?").get(id) as Record<string, unknown> | undefined),
    insertMigration: async (name) => {
      withRaw((database) => database.prepare(`insert into ${MIGRATION_TABLE} (name, timestamp) values (?, ?)`).run(name, new Date().toISOString()));
    },
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

let schemaCounter = 0;

async function postgresHarness(): Promise<StoreHarness> {
  const schema = `store_test_${process.pid}_${Date.now()}_${++schemaCounter}`;
  const opened: Store[] = [];
  const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    open: async () => {
      const store = await openStore({ kind: "postgres", connectionString: POSTGRES_URL, schema });
      opened.push(store);
      return store;
    },
    rawCredential: (id) =>
      withClient(async (client) => (await client.query(`select * from "${schema}".credentials where id = $1`, [id])).rows[0] as Record<string, unknown> | undefined),
    insertMigration: (name) =>
      withClient(async (client) => {
        await client.query(`insert into "${schema}".${MIGRATION_TABLE} (name, timestamp) values ($1, $2)`, [name, new Date().toISOString()]);
      }),
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

/** Whether the test PostgreSQL answers; the suite is skipped (and says so) when it does not. */
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

describeStoreContract("SQLite", sqliteHarness);

const reachable = await postgresReachable();
if (!reachable) console.warn(`Skipping the PostgreSQL store contract: nothing answers at ${POSTGRES_URL}.`);
describe.skipIf(!reachable)(`PostgreSQL at ${POSTGRES_URL}${reachable ? "" : " (skipped: not reachable)"}`, () => {
  describeStoreContract("PostgreSQL", postgresHarness);
});
