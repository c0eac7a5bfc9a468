/**
 * @module test/integration/credential-safety.test
 * What happens to stored credentials when things go wrong, each shown to lose nothing: a wrong
 * encryption key, a missing key file, a tampered ciphertext, a database locked by another process,
 * and a database written by a newer Switchyard. Each test has its own data directory with a real
 * SQLite file and restarts the gateway on it as a user would; upstreams are on 127.0.0.1 only.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { SQLITE_FILE_NAME } from "../../src/defaults.js";
import { KEY_FILE_NAME } from "../../src/secrets/encryption-key.js";
import { LATEST_SCHEMA_VERSION } from "../../src/store/migrations/index.js";
import { openStore } from "../../src/store/open-store.js";
import { startGateway, type StartGatewayOptions, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";

const KEY = "sk-safety-key-0123456789abcdSAFE";
const OTHER_KEY = "sk-other-key-9876543210fedcOTHR";
const REPLACEMENT_KEY = "sk-replacement-5544332211aaNEWK";
const WRONG_ENCRYPTION_KEY = "cd".repeat(32);

const CONFIG: SwitchyardConfig = { providers: DISABLED_BUILTINS };

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

interface Credential {
  name: string;
  has_api_key: boolean;
  api_key_mask: string | null;
  secrets_error: string | null;
  version: number;
  priority: number;
}

interface Status {
  encryption: { status: string; message?: string; key_id?: string; expected_key_id?: string };
}

interface Reply<T> {
  readonly status: number;
  readonly text: string;
  readonly body: T;
}

let upstream: ScriptedUpstream;
const directories: string[] = [];
const running: TestGateway[] = [];

async function call<T>(gateway: TestGateway, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

function chat(gateway: TestGateway, model: string): Promise<Reply<ErrorBody>> {
  return call(gateway, "POST", "/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }] });
}

function newDataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), "switchyard-safety-"));
  directories.push(directory);
  return directory;
}

async function start(dataDir: string, options: Omit<StartGatewayOptions, "dataDir"> = {}): Promise<TestGateway> {
  const gateway = await startGateway({ config: CONFIG, ...options, dataDir });
  running.push(gateway);
  return gateway;
}

async function stop(gateway: TestGateway): Promise<void> {
  running.splice(running.indexOf(gateway), 1);
  await gateway.close();
}

/** Stores a credential with a key and one custom model `<name>/m`. */
async function addCredential(gateway: TestGateway, name: string, apiKey: string): Promise<void> {
  const created = await call(gateway, "POST", "/api/credentials", { name, kind: "openai-compat", base_url: upstream.baseUrl, api_key: apiKey });
  expect(created.status, created.text).toBe(201);
  const registered = await call(gateway, "POST", `/api/credentials/${name}/register`, { custom: [{ name: "m", upstream_model: "upstream-m" }] });
  expect(registered.status, registered.text).toBe(200);
}

/** Chats with `<name>/m` and returns the Authorization header the upstream received. */
async function authorizationFor(gateway: TestGateway, name: string): Promise<string | undefined> {
  const before = upstream.requests.length;
  const reply = await chat(gateway, `${name}/m`);
  expect(reply.status, reply.text).toBe(200);
  const received = upstream.requests.slice(before);
  expect(received).toHaveLength(1);
  return received[0]?.headers.authorization;
}

/** Every row of a table, read with a separate connection (the gateway is stopped). */
function rows(dataDir: string, table: string): unknown[] {
  const database = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME));
  try {
    return database.prepare(`select * from ${table} order by 1`).all();
  } finally {
    database.close();
  }
}

async function names(gateway: TestGateway): Promise<string[]> {
  const list = await call<{ data: Credential[] }>(gateway, "GET", "/api/credentials");
  return list.body.data.map((credential) => credential.name).sort();
}

beforeAll(async () => {
  upstream = await startScriptedUpstream();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
});

afterAll(async () => {
  await upstream?.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe("a wrong encryption key", () => {
  it("reports wrong-key, refuses every use of the secrets with the fix, writes nothing, and recovers with the right key", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    await addCredential(first, "safe", KEY);
    await stop(first);
    const storedBefore = rows(dataDir, "credentials");
    const keyFileBefore = readFileSync(join(dataDir, KEY_FILE_NAME));

    const wrong = await start(dataDir, { env: { SWITCHYARD_ENCRYPTION_KEY: WRONG_ENCRYPTION_KEY } });
    const status = await call<Status>(wrong, "GET", "/api/status");
    expect(status.body.encryption.status).toBe("wrong-key");
    expect(status.body.encryption.message).toMatch(/Set SWITCHYARD_ENCRYPTION_KEY back to the original key/);
    expect(status.body.encryption.message).toContain("Nothing stored has been changed.");
    expect(status.text).not.toContain(WRONG_ENCRYPTION_KEY);

    const list = await call<{ data: Credential[] }>(wrong, "GET", "/api/credentials");
    expect(list.body.data).toEqual([expect.objectContaining({ name: "safe", has_api_key: true, api_key_mask: null, secrets_error: expect.stringContaining("SWITCHYARD_ENCRYPTION_KEY") })]);

    const routed = await chat(wrong, "safe/m");
    expect(routed.status).toBe(503);
    expect(routed.body.error).toMatchObject({ code: "encryption_key_invalid", type: "server_error" });
    expect(routed.body.error.message).toContain("SWITCHYARD_ENCRYPTION_KEY");

    const created = await call<ErrorBody>(wrong, "POST", "/api/credentials", { name: "written-with-wrong-key", kind: "openai-compat", base_url: upstream.baseUrl, api_key: OTHER_KEY });
    expect(created.status).toBe(503);
    expect(created.body.error.code).toBe("encryption_key_invalid");
    const updated = await call<ErrorBody>(wrong, "PATCH", "/api/credentials/safe", { api_key: OTHER_KEY });
    expect(updated.status).toBe(503);
    const tested = await call<ErrorBody>(wrong, "POST", "/api/credentials/safe/test");
    expect(tested.status).toBe(503);
    expect(tested.body.error.message).toContain("SWITCHYARD_ENCRYPTION_KEY");
    expect(await names(wrong)).toEqual(["safe"]);
    await stop(wrong);

    expect(rows(dataDir, "credentials")).toEqual(storedBefore);
    expect(readFileSync(join(dataDir, KEY_FILE_NAME))).toEqual(keyFileBefore);

    const right = await start(dataDir);
    expect((await call<Status>(right, "GET", "/api/status")).body.encryption.status).toBe("ok");
    const restored = await call<Credential>(right, "GET", "/api/credentials/safe");
    expect(restored.body).toMatchObject({ api_key_mask: "sk-…SAFE", secrets_error: null });
    expect(await authorizationFor(right, "safe")).toBe(`Bearer ${KEY}`);
  });
});

describe("a missing key file", () => {
  it("reports missing, regenerates nothing, loses nothing, and recovers when the file is restored", async () => {
    const dataDir = newDataDir();
    const keyFile = join(dataDir, KEY_FILE_NAME);
    const first = await start(dataDir);
    await addCredential(first, "safe", KEY);
    await stop(first);
    const storedBefore = rows(dataDir, "credentials");
    const metaBefore = rows(dataDir, "meta");
    renameSync(keyFile, `${keyFile}.away`);

    const missing = await start(dataDir);
    const status = await call<Status>(missing, "GET", "/api/status");
    expect(status.body.encryption.status).toBe("missing");
    expect(status.body.encryption.message).toContain("no encryption key is configured");
    expect(status.body.encryption.message).toContain(`Set SWITCHYARD_ENCRYPTION_KEY to that key (or restore ${keyFile})`);
    expect(existsSync(keyFile)).toBe(false);

    const list = await call<{ data: Credential[] }>(missing, "GET", "/api/credentials");
    expect(list.body.data).toEqual([expect.objectContaining({ name: "safe", has_api_key: true, api_key_mask: null, secrets_error: expect.stringContaining(keyFile) })]);
    const routed = await chat(missing, "safe/m");
    expect(routed.status).toBe(503);
    expect(routed.body.error.code).toBe("encryption_key_missing");
    const created = await call<ErrorBody>(missing, "POST", "/api/credentials", { name: "unsealable", kind: "openai-compat", base_url: upstream.baseUrl, api_key: OTHER_KEY });
    expect(created.status).toBe(503);
    expect(created.body.error.code).toBe("encryption_key_missing");
    await stop(missing);

    expect(existsSync(keyFile)).toBe(false);
    expect(rows(dataDir, "credentials")).toEqual(storedBefore);
    expect(rows(dataDir, "meta")).toEqual(metaBefore);

    renameSync(`${keyFile}.away`, keyFile);
    const restored = await start(dataDir);
    expect((await call<Status>(restored, "GET", "/api/status")).body.encryption.status).toBe("ok");
    expect(await names(restored)).toEqual(["safe"]);
    expect(await authorizationFor(restored, "safe")).toBe(`Bearer ${KEY}`);
  });
});

describe("a tampered ciphertext", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = newDataDir();
    const first = await start(dataDir);
    await addCredential(first, "tampered", KEY);
    await addCredential(first, "intact", OTHER_KEY);
    await stop(first);
    const database = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME));
    try {
      const row = database.prepare("select api_key_envelope from credentials where name = ?").get("tampered") as { api_key_envelope: string };
      // `sy1.<keyId>.<iv>.<ciphertext>.<tag>`: change one character of the ciphertext.
      const parts = row.api_key_envelope.split(".");
      const ciphertext = parts[3] ?? "";
      parts[3] = `${ciphertext[0] === "A" ? "B" : "A"}${ciphertext.slice(1)}`;
      database.prepare("update credentials set api_key_envelope = ? where name = ?").run(parts.join("."), "tampered");
    } finally {
      database.close();
    }
  });

  it("gives a clear error for that credential only, and the others keep working", async () => {
    const gateway = await start(dataDir);
    expect((await call<Status>(gateway, "GET", "/api/status")).body.encryption.status).toBe("ok");
    const list = await call<{ data: Credential[] }>(gateway, "GET", "/api/credentials");
    const byName = new Map(list.body.data.map((credential) => [credential.name, credential]));
    expect(byName.get("tampered")).toMatchObject({ has_api_key: true, api_key_mask: null, secrets_error: expect.stringMatching(/failed its integrity check: it was altered.*Enter the secret again/) });
    expect(byName.get("intact")).toMatchObject({ api_key_mask: "sk-…OTHR", secrets_error: null });

    const routed = await chat(gateway, "tampered/m");
    expect(routed.status).toBe(503);
    expect(routed.body.error).toMatchObject({ code: "secret_tampered" });
    expect(routed.body.error.message).toMatch(/Enter the secret again/);
    expect(await authorizationFor(gateway, "intact")).toBe(`Bearer ${OTHER_KEY}`);
  });

  it("is repaired by entering the key again, as the error message advises", async () => {
    const gateway = await start(dataDir);
    const repaired = await call<Credential & ErrorBody>(gateway, "PATCH", "/api/credentials/tampered", { api_key: REPLACEMENT_KEY });
    expect(repaired.body.error?.message).toBeUndefined();
    expect(repaired.status).toBe(200);
    expect(repaired.body).toMatchObject({ api_key_mask: "sk-…NEWK", secrets_error: null });
    expect(await authorizationFor(gateway, "tampered")).toBe(`Bearer ${REPLACEMENT_KEY}`);
  });
});

describe("a database locked by another process", () => {
  it("answers 503 store_unavailable while locked, then writes once the lock is released, losing nothing", async () => {
    const dataDir = newDataDir();
    const file = join(dataDir, SQLITE_FILE_NAME);
    const store = await openStore({ kind: "sqlite", file, busyTimeoutMs: 200 });
    try {
      const gateway = await start(dataDir, { store });
      await addCredential(gateway, "before", KEY);
      const locker = new BetterSqlite3(file);
      locker.exec("BEGIN EXCLUSIVE");
      try {
        const startedAt = Date.now();
        const created = await call<ErrorBody>(gateway, "POST", "/api/credentials", { name: "during", kind: "openai-compat", base_url: upstream.baseUrl, api_key: OTHER_KEY });
        expect(created.status).toBe(503);
        expect(created.body.error).toMatchObject({ code: "store_unavailable", type: "server_error" });
        expect(created.body.error.message).toBe(
          `The database at ${file} is locked by another process (waited 200 ms); nothing was changed. Retry, or stop the other Switchyard process or tool holding it.`,
        );
        const patched = await call<ErrorBody>(gateway, "PATCH", "/api/credentials/before", { priority: 5 });
        expect(patched.status).toBe(503);
        expect(patched.body.error.code).toBe("store_unavailable");
        expect(Date.now() - startedAt).toBeLessThan(3_000);
        // Reads still work under WAL while another process holds the write lock.
        expect(await names(gateway)).toEqual(["before"]);
      } finally {
        locker.exec("ROLLBACK");
        locker.close();
      }
      const created = await call<Credential>(gateway, "POST", "/api/credentials", { name: "during", kind: "openai-compat", base_url: upstream.baseUrl, api_key: OTHER_KEY });
      expect(created.status).toBe(201);
      const patched = await call<Credential>(gateway, "PATCH", "/api/credentials/before", { priority: 5 });
      expect(patched.body).toMatchObject({ priority: 5, version: 2, api_key_mask: "sk-…SAFE" });
      expect(await names(gateway)).toEqual(["before", "during"]);
      expect(await authorizationFor(gateway, "before")).toBe(`Bearer ${KEY}`);
      await stop(gateway);
    } finally {
      await store.close();
    }
  });
});

describe("a database from a newer Switchyard", () => {
  it("refuses to start with a message saying to upgrade, and changes nothing", async () => {
    const dataDir = newDataDir();
    const file = join(dataDir, SQLITE_FILE_NAME);
    const first = await start(dataDir);
    await addCredential(first, "kept", KEY);
    await stop(first);
    const future = new BetterSqlite3(file);
    future.prepare("insert into switchyard_migration (name, timestamp) values (?, ?)").run("9999_from_a_newer_switchyard", new Date().toISOString());
    future.close();
    const before = { credentials: rows(dataDir, "credentials"), models: rows(dataDir, "models"), meta: rows(dataDir, "meta") };

    await expect(start(dataDir)).rejects.toThrow(
      `The database at ${file} was created by a newer Switchyard (schema version 9999, this build knows up to ${LATEST_SCHEMA_VERSION}). Upgrade Switchyard; nothing was changed.`,
    );
    expect({ credentials: rows(dataDir, "credentials"), models: rows(dataDir, "models"), meta: rows(dataDir, "meta") }).toEqual(before);

    // Once the newer build's mark is gone (a downgrade done on purpose), everything is still there.
    const undo = new BetterSqlite3(file);
    undo.prepare("delete from switchyard_migration where name = ?").run("9999_from_a_newer_switchyard");
    undo.close();
    const again = await start(dataDir);
    expect(await authorizationFor(again, "kept")).toBe(`Bearer ${KEY}`);
  });
});
