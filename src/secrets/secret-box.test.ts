import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { computeKeyId, type MetaStore } from "./encryption-key.js";
import { sealSecret } from "./envelope.js";
import { KEY_CHECK_META_KEY, SecretBox } from "./secret-box.js";

function memoryMeta(): MetaStore & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getMeta: (key) => Promise.resolve(entries.get(key)),
    setMeta: (key, value) => {
      entries.set(key, value);
      return Promise.resolve();
    },
  };
}

function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

const context = { record: "cred-1", field: "api_key" };
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const envA = { SWITCHYARD_ENCRYPTION_KEY: keyA.toString("hex") };
const envB = { SWITCHYARD_ENCRYPTION_KEY: keyB.toString("hex") };

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "switchyard-box-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("SecretBox.open", () => {
  it("writes the key check value on first use and reports the key", async () => {
    const meta = memoryMeta();
    const box = await SecretBox.open({ env: envA, meta, allowGenerate: false });
    expect(box.state).toEqual({ status: "ok", keyId: computeKeyId(keyA), source: "env" });
    expect(meta.entries.get(KEY_CHECK_META_KEY)).toMatch(new RegExp(`^sy1\\.${computeKeyId(keyA)}\\.`));
    expect((await SecretBox.open({ env: envA, meta, allowGenerate: false })).state.status).toBe("ok");
  });

  it("round-trips secrets", async () => {
    const box = await SecretBox.open({ env: envA, meta: memoryMeta(), allowGenerate: false });
    expect(box.decrypt(box.encrypt("sk-proj-secret", context), context)).toBe("sk-proj-secret");
  });

  it("detects a wrong key, refuses every read and write, and changes nothing", async () => {
    const meta = memoryMeta();
    const original = await SecretBox.open({ env: envA, meta, allowGenerate: false });
    const sealed = original.encrypt("sk-proj-secret", context);
    const keyCheck = meta.entries.get(KEY_CHECK_META_KEY);

    const box = await SecretBox.open({ env: envB, meta, allowGenerate: false });
    expect(box.state).toMatchObject({ status: "wrong-key", keyId: computeKeyId(keyB), expectedKeyId: computeKeyId(keyA) });
    const message = box.describe().message ?? "";
    expect(message).toContain(`encrypted with key ${computeKeyId(keyA)}`);
    expect(message).toContain(`SWITCHYARD_ENCRYPTION_KEY is key ${computeKeyId(keyB)}`);
    expect(message).toContain("switchyard secrets rotate-key");
    expect(message).toContain("Nothing stored has been changed.");
    expect(thrown(() => box.encrypt("sk-new", context)).code).toBe("encryption_key_invalid");
    expect(thrown(() => box.decrypt(sealed, context)).code).toBe("encryption_key_invalid");
    expect(meta.entries.get(KEY_CHECK_META_KEY)).toBe(keyCheck);
  });

  it("names the key file in the wrong-key message when the key came from it", async () => {
    // A key file generated for some other database, then pointed at a store sealed with key A.
    await SecretBox.open({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true });
    const meta = memoryMeta();
    await SecretBox.open({ env: envA, meta, allowGenerate: false });
    const box = await SecretBox.open({ env: {}, dataDir, meta, allowGenerate: true });
    expect(box.state.status).toBe("wrong-key");
    expect(box.describe().message).toContain(`but ${join(dataDir, "encryption.key")} holds key`);
    expect(box.describe().message).toContain("encryption.key.new");
  });

  it("reports a missing key with the fix, and refuses to encrypt", async () => {
    const box = await SecretBox.open({ env: {}, meta: memoryMeta(), allowGenerate: false });
    expect(box.state.status).toBe("missing");
    expect(box.describe().message).toContain("Set SWITCHYARD_ENCRYPTION_KEY");
    expect(thrown(() => box.encrypt("sk-new", context)).code).toBe("encryption_key_missing");
  });

  it("does not generate a new key file when the store is sealed with another key", async () => {
    const meta = memoryMeta();
    const first = await SecretBox.open({ env: {}, dataDir, meta, allowGenerate: true });
    expect(first.state.status).toBe("ok");
    await rm(join(dataDir, "encryption.key"));
    const box = await SecretBox.open({ env: {}, dataDir, meta, allowGenerate: true });
    expect(box.state.status).toBe("missing");
    expect(box.describe().message).toContain(`encrypted with key ${first.describe().keyId ?? "?"}`);
    expect(box.describe().message).toContain(join(dataDir, "encryption.key"));
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("treats an altered key check value as a wrong key", async () => {
    const meta = memoryMeta();
    meta.entries.set(KEY_CHECK_META_KEY, sealSecret(randomBytes(32), computeKeyId(keyA), "switchyard key check v1", { record: "meta", field: "key_check" }));
    const box = await SecretBox.open({ env: envA, meta, allowGenerate: false });
    expect(box.state.status).toBe("wrong-key");
    expect(box.describe().message).toContain("was altered");
  });
});

describe("SecretBox.decrypt", () => {
  const box = SecretBox.fromKey(keyA);

  it("reports an envelope copied from another record as tampered", () => {
    const sealed = box.encrypt("sk-proj-secret", context);
    const error = thrown(() => box.decrypt(sealed, { record: "cred-2", field: "api_key" }));
    expect(error.code).toBe("secret_tampered");
    expect(error.message).toContain("Enter the secret again");
  });

  it("reports a value that is not an envelope as tampered without echoing it", () => {
    const error = thrown(() => box.decrypt("sk-plaintext-key-1234", context));
    expect(error.code).toBe("secret_tampered");
    expect(error.message).not.toContain("sk-plaintext");
  });

  it("names both key ids when a secret was sealed with another key", () => {
    const other = SecretBox.fromKey(keyB);
    const error = thrown(() => box.decrypt(other.encrypt("x", context), context));
    expect(error.code).toBe("encryption_key_invalid");
    expect(error.message).toContain(computeKeyId(keyB));
    expect(error.message).toContain(computeKeyId(keyA));
  });
});

describe("SecretBox.verify", () => {
  it("switches to wrong-key when another process re-sealed the store under a new key", async () => {
    const meta = memoryMeta();
    const box = await SecretBox.open({ env: envA, meta, allowGenerate: false });
    await box.verify(meta);
    await meta.setMeta(KEY_CHECK_META_KEY, SecretBox.fromKey(keyB).createKeyCheck());
    await expect(box.verify(meta)).rejects.toMatchObject({ code: "encryption_key_invalid" });
    expect(box.state.status).toBe("wrong-key");
    expect(thrown(() => box.encrypt("x", context)).code).toBe("encryption_key_invalid");
  });
});

describe("SecretBox.describe", () => {
  it("never exposes key material", async () => {
    const box = await SecretBox.open({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true });
    const description = box.describe();
    expect(description).toMatchObject({ status: "ok", source: "file", keyFile: join(dataDir, "encryption.key") });
    const key = keyA;
    const shown = [JSON.stringify(description), JSON.stringify(box), inspect(box, { showHidden: true }), JSON.stringify(SecretBox.fromKey(key)), inspect(SecretBox.fromKey(key))].join("\n");
    expect(shown).not.toContain(key.toString("hex"));
    expect(shown).not.toContain(key.toString("base64"));
    expect(shown).not.toMatch(/<Buffer/);
  });
});
