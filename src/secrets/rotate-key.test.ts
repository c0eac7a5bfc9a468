import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import {
  StoreConflictError,
  type CredentialPatch,
  type CredentialRecord,
  type GatewayKeyRecord,
  type ModelPatch,
  type ModelRecord,
  type ModelType,
  type NewCredential,
  type NewModel,
  type Store,
} from "../store/store-types.js";
import { computeKeyId } from "./encryption-key.js";
import { envelopeKeyId } from "./envelope.js";
import { generateKeyFile, rotateEncryptionKey, rotateKeyCommand } from "./rotate-key.js";
import { SecretBox } from "./secret-box.js";

interface MemoryState {
  credentials: Map<string, CredentialRecord>;
  models: Map<string, ModelRecord>;
  defaults: Partial<Record<ModelType, string>>;
  meta: Map<string, string>;
  revision: number;
}

/**
 * A Map-backed test double of the Store (the real SQLite/PostgreSQL store lives in store/).
 * `transaction` snapshots the state and restores it when the work throws; `failOnUpdate` makes the
 * n-th credential update throw, to break a rotation half-way.
 */
class MemoryStore implements Store {
  readonly dialect = "sqlite";
  readonly location = ":memory:";
  state: MemoryState = { credentials: new Map(), models: new Map(), defaults: {}, meta: new Map(), revision: 0 };
  failOnUpdate: number | undefined;
  #updates = 0;

  listCredentials(): Promise<CredentialRecord[]> {
    return Promise.resolve([...this.state.credentials.values()]);
  }
  getCredential(idOrName: string): Promise<CredentialRecord | undefined> {
    return Promise.resolve(this.state.credentials.get(idOrName) ?? [...this.state.credentials.values()].find((credential) => credential.name === idOrName));
  }
  createCredential(input: NewCredential): Promise<CredentialRecord> {
    const now = new Date().toISOString();
    const record: CredentialRecord = { ...input, lastTest: input.lastTest ?? null, id: randomUUID(), version: 1, createdAt: now, updatedAt: now };
    this.state.credentials.set(record.id, record);
    this.state.revision += 1;
    return Promise.resolve(record);
  }
  updateCredential(id: string, patch: CredentialPatch, expectedVersion?: number): Promise<CredentialRecord> {
    this.#updates += 1;
    if (this.#updates === this.failOnUpdate) return Promise.reject(new Error("disk full"));
    const current = this.state.credentials.get(id);
    if (current === undefined) return Promise.reject(new Error(`no credential ${id}`));
    if (expectedVersion !== undefined && expectedVersion !== current.version) return Promise.reject(new StoreConflictError("version changed"));
    const updated: CredentialRecord = { ...current, ...patch, version: current.version + 1, updatedAt: new Date().toISOString() };
    this.state.credentials.set(id, updated);
    this.state.revision += 1;
    return Promise.resolve(updated);
  }
  deleteCredential(id: string): Promise<boolean> {
    return Promise.resolve(this.state.credentials.delete(id));
  }
  listModels(): Promise<ModelRecord[]> {
    return Promise.resolve([...this.state.models.values()]);
  }
  getModel(id: string): Promise<ModelRecord | undefined> {
    return Promise.resolve(this.state.models.get(id));
  }
  createModel(input: NewModel): Promise<ModelRecord> {
    const now = new Date().toISOString();
    const record: ModelRecord = { ...input, createdAt: now, updatedAt: now };
    this.state.models.set(record.id, record);
    return Promise.resolve(record);
  }
  updateModel(id: string, patch: ModelPatch): Promise<ModelRecord> {
    const current = this.state.models.get(id);
    if (current === undefined) return Promise.reject(new Error(`no model ${id}`));
    const updated: ModelRecord = { ...current, ...patch };
    this.state.models.set(id, updated);
    return Promise.resolve(updated);
  }
  deleteModel(id: string): Promise<boolean> {
    return Promise.resolve(this.state.models.delete(id));
  }
  getDefaults(): Promise<Partial<Record<ModelType, string>>> {
    return Promise.resolve({ ...this.state.defaults });
  }
  setDefault(type: ModelType, modelId: string | null): Promise<void> {
    if (modelId === null) delete this.state.defaults[type];
    else this.state.defaults[type] = modelId;
    return Promise.resolve();
  }
  // Gateway keys hold no envelopes, so rotation never touches them; the double has none.
  listGatewayKeys(): Promise<GatewayKeyRecord[]> {
    return Promise.resolve([]);
  }
  getGatewayKey(): Promise<GatewayKeyRecord | undefined> {
    return Promise.resolve(undefined);
  }
  createGatewayKey(): Promise<GatewayKeyRecord> {
    return Promise.reject(new Error("gateway keys are not part of this test double"));
  }
  revokeGatewayKey(): Promise<GatewayKeyRecord | undefined> {
    return Promise.resolve(undefined);
  }
  getMeta(key: string): Promise<string | undefined> {
    return Promise.resolve(this.state.meta.get(key));
  }
  setMeta(key: string, value: string): Promise<void> {
    this.state.meta.set(key, value);
    this.state.revision += 1;
    return Promise.resolve();
  }
  revision(): Promise<number> {
    return Promise.resolve(this.state.revision);
  }
  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    const snapshot = structuredClone(this.state);
    try {
      return await work(this);
    } catch (error) {
      this.state = snapshot;
      throw error;
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const envA = { SWITCHYARD_ENCRYPTION_KEY: keyA.toString("hex") };
const envB = { SWITCHYARD_ENCRYPTION_KEY: keyB.toString("base64") };

function newCredential(name: string): NewCredential {
  return {
    name,
    kind: "openai",
    baseUrl: null,
    apiKeyEnvelope: null,
    serviceUrls: {},
    serviceKeysEnvelope: null,
    headersEnvelope: null,
    providerFields: {},
    enabled: true,
    priority: 0,
  };
}

/** Three credentials: one with all three secrets, one with only an API key, one with none (local server). */
async function seed(store: MemoryStore, box: SecretBox): Promise<void> {
  for (const [name, secrets] of [["openai", 3], ["groq", 1], ["ollama", 0]] as const) {
    const created = await store.createCredential(newCredential(name));
    const patch: CredentialPatch = {
      ...(secrets >= 1 ? { apiKeyEnvelope: box.encrypt(`sk-${name}-key`, { record: created.id, field: "api_key" }) } : {}),
      ...(secrets >= 3 ? { serviceKeysEnvelope: box.encrypt(JSON.stringify({ tts: "sk-tts" }), { record: created.id, field: "service_keys" }) } : {}),
      ...(secrets >= 3 ? { headersEnvelope: box.encrypt(JSON.stringify({ "X-Title": "Café" }), { record: created.id, field: "headers" }) } : {}),
    };
    await store.updateCredential(created.id, patch);
  }
}

async function apiKeys(store: Store, box: SecretBox): Promise<Record<string, string | null>> {
  const credentials = await store.listCredentials();
  return Object.fromEntries(credentials.map((credential) => [credential.name, credential.apiKeyEnvelope === null ? null : box.decrypt(credential.apiKeyEnvelope, { record: credential.id, field: "api_key" })]));
}

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "switchyard-rotate-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("rotateEncryptionKey", () => {
  it("re-seals every secret of every credential and the key check under the new key", async () => {
    const store = new MemoryStore();
    const from = await SecretBox.open({ env: envA, meta: store, allowGenerate: false });
    await seed(store, from);
    const to = SecretBox.fromKey(keyB);

    expect(await rotateEncryptionKey({ store, from, to })).toEqual({ credentials: 2, secrets: 4 });

    for (const credential of await store.listCredentials()) {
      for (const envelope of [credential.apiKeyEnvelope, credential.serviceKeysEnvelope, credential.headersEnvelope]) {
        if (envelope !== null) expect(envelopeKeyId(envelope)).toBe(computeKeyId(keyB));
      }
    }
    expect(await apiKeys(store, to)).toEqual({ openai: "sk-openai-key", groq: "sk-groq-key", ollama: null });
    const openai = await store.getCredential("openai");
    expect(to.decrypt(openai?.headersEnvelope ?? "", { record: openai?.id ?? "", field: "headers" })).toBe('{"X-Title":"Café"}');
    expect((await SecretBox.open({ env: envB, meta: store, allowGenerate: false })).state.status).toBe("ok");
    expect((await SecretBox.open({ env: envA, meta: store, allowGenerate: false })).state.status).toBe("wrong-key");
  });

  it("changes nothing when a write fails half-way", async () => {
    const store = new MemoryStore();
    const from = await SecretBox.open({ env: envA, meta: store, allowGenerate: false });
    await seed(store, from);
    const before = structuredClone(store.state);
    store.failOnUpdate = 3 + 2; // the seed made three updates; break the rotation's second one

    await expect(rotateEncryptionKey({ store, from, to: SecretBox.fromKey(keyB) })).rejects.toThrow("disk full");

    expect(store.state).toEqual(before);
    expect(await apiKeys(store, from)).toEqual({ openai: "sk-openai-key", groq: "sk-groq-key", ollama: null });
  });

  it("changes nothing when one secret cannot be opened", async () => {
    const store = new MemoryStore();
    const from = await SecretBox.open({ env: envA, meta: store, allowGenerate: false });
    await seed(store, from);
    const groq = await store.getCredential("groq");
    const openai = await store.getCredential("openai");
    // The openai key copied onto groq: a well-formed envelope that fails its integrity check.
    await store.updateCredential(groq?.id ?? "", { apiKeyEnvelope: openai?.apiKeyEnvelope ?? null });
    const before = structuredClone(store.state);

    await expect(rotateEncryptionKey({ store, from, to: SecretBox.fromKey(keyB) })).rejects.toMatchObject({ code: "secret_tampered" });
    expect(store.state).toEqual(before);
  });

  it("refuses to start from a key that does not match the store", async () => {
    const store = new MemoryStore();
    await SecretBox.open({ env: envA, meta: store, allowGenerate: false });
    const before = structuredClone(store.state);
    await expect(rotateEncryptionKey({ store, from: SecretBox.fromKey(randomBytes(32)), to: SecretBox.fromKey(keyB) })).rejects.toMatchObject({ code: "encryption_key_invalid" });
    expect(store.state).toEqual(before);
  });

  it("refuses to rotate to the same key", async () => {
    const store = new MemoryStore();
    await expect(rotateEncryptionKey({ store, from: SecretBox.fromKey(keyA), to: SecretBox.fromKey(keyA) })).rejects.toBeInstanceOf(GatewayError);
  });
});

describe("rotateKeyCommand", () => {
  it("replaces the generated key file after the transaction commits", async () => {
    const store = new MemoryStore();
    const from = await SecretBox.open({ env: {}, dataDir, meta: store, allowGenerate: true });
    await seed(store, from);
    const keyFile = join(dataDir, "encryption.key");
    const oldFile = await readFile(keyFile, "utf8");

    const result = await rotateKeyCommand({ store, env: {}, dataDir });

    expect(result).toMatchObject({ credentials: 2, secrets: 4, source: "file", keyFile, previousKeyId: from.describe().keyId });
    expect(result.envHint).toBeUndefined();
    expect(await readFile(keyFile, "utf8")).not.toBe(oldFile);
    expect(await readdir(dataDir)).toEqual(["encryption.key"]);
    if (process.platform !== "win32") expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const reopened = await SecretBox.open({ env: {}, dataDir, meta: store, allowGenerate: true });
    expect(reopened.describe()).toMatchObject({ status: "ok", keyId: result.newKeyId });
    expect(await apiKeys(store, reopened)).toEqual({ openai: "sk-openai-key", groq: "sk-groq-key", ollama: null });
  });

  it("keeps the old key file and discards the new one when the transaction fails", async () => {
    const store = new MemoryStore();
    await seed(store, await SecretBox.open({ env: {}, dataDir, meta: store, allowGenerate: true }));
    const keyFile = join(dataDir, "encryption.key");
    const oldFile = await readFile(keyFile, "utf8");
    const before = structuredClone(store.state);
    store.failOnUpdate = 3 + 1;

    await expect(rotateKeyCommand({ store, env: {}, dataDir })).rejects.toThrow("disk full");

    expect(await readFile(keyFile, "utf8")).toBe(oldFile);
    expect(await readdir(dataDir)).toEqual(["encryption.key"]);
    expect(store.state).toEqual(before);
  });

  it("refuses to overwrite a pending key left by an interrupted rotation", async () => {
    const store = new MemoryStore();
    await SecretBox.open({ env: {}, dataDir, meta: store, allowGenerate: true });
    const pending = join(dataDir, "encryption.key.new");
    await writeFile(pending, randomBytes(32).toString("base64"), { mode: 0o600 });
    const content = await readFile(pending, "utf8");

    await expect(rotateKeyCommand({ store, env: {}, dataDir })).rejects.toThrow(/move .*encryption\.key\.new over/);
    expect(await readFile(pending, "utf8")).toBe(content);
    await expect(generateKeyFile(dataDir)).rejects.toMatchObject({ code: "encryption_key_invalid" });
  });

  it("requires the new key when the current one comes from the environment", async () => {
    const store = new MemoryStore();
    await seed(store, await SecretBox.open({ env: envA, meta: store, allowGenerate: false }));
    await expect(rotateKeyCommand({ store, env: envA, dataDir })).rejects.toThrow(/give the new key/i);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("moves to a given key and says to update the variable", async () => {
    const store = new MemoryStore();
    await seed(store, await SecretBox.open({ env: envA, meta: store, allowGenerate: false }));

    const result = await rotateKeyCommand({ store, env: envA, newKey: envB.SWITCHYARD_ENCRYPTION_KEY });

    expect(result).toMatchObject({ credentials: 2, secrets: 4, source: "env", newKeyId: computeKeyId(keyB), previousKeyId: computeKeyId(keyA) });
    expect(result.envHint).toContain("Set SWITCHYARD_ENCRYPTION_KEY to the new key");
    const reopened = await SecretBox.open({ env: envB, meta: store, allowGenerate: false });
    expect(await apiKeys(store, reopened)).toEqual({ openai: "sk-openai-key", groq: "sk-groq-key", ollama: null });
  });

  it("moves to a passphrase", async () => {
    const store = new MemoryStore();
    await seed(store, await SecretBox.open({ env: envA, meta: store, allowGenerate: false }));
    const env = { SWITCHYARD_ENCRYPTION_KEY: "a long and memorable passphrase" };

    const result = await rotateKeyCommand({ store, env: envA, newKey: env.SWITCHYARD_ENCRYPTION_KEY });

    expect(result.source).toBe("passphrase");
    const reopened = await SecretBox.open({ env, meta: store, allowGenerate: false });
    expect(reopened.describe()).toMatchObject({ status: "ok", keyId: result.newKeyId, source: "passphrase" });
    expect(await apiKeys(store, reopened)).toEqual({ openai: "sk-openai-key", groq: "sk-groq-key", ollama: null });
  });

  it("refuses when the current key does not open the store", async () => {
    const store = new MemoryStore();
    await SecretBox.open({ env: envA, meta: store, allowGenerate: false });
    await expect(rotateKeyCommand({ store, env: envB, newKey: randomBytes(32).toString("hex") })).rejects.toMatchObject({ code: "encryption_key_invalid" });
  });
});
