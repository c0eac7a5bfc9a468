import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { KDF_SALT_META_KEY, computeKeyId, derivePassphraseKey, parseRawKey, resolveEncryptionKey, type MetaStore } from "./encryption-key.js";

/** A Map-backed stand-in for the store's meta table. */
function memoryMeta(initial: Record<string, string> = {}): MetaStore & { readonly entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    getMeta: (key) => Promise.resolve(entries.get(key)),
    setMeta: (key, value) => {
      entries.set(key, value);
      return Promise.resolve();
    },
  };
}

/** Windows has no POSIX permission bits to check. */
const onWindows = process.platform === "win32";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "switchyard-key-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("parseRawKey", () => {
  const raw = randomBytes(32);

  it("accepts 64 hex characters and base64 or base64url of 32 bytes", () => {
    expect(parseRawKey(raw.toString("hex"))?.equals(raw)).toBe(true);
    expect(parseRawKey(raw.toString("hex").toUpperCase())?.equals(raw)).toBe(true);
    expect(parseRawKey(raw.toString("base64"))?.equals(raw)).toBe(true);
    expect(parseRawKey(raw.toString("base64").replace(/=$/, ""))?.equals(raw)).toBe(true);
    expect(parseRawKey(raw.toString("base64url"))?.equals(raw)).toBe(true);
  });

  it("treats everything else as a passphrase", () => {
    expect(parseRawKey("correct horse battery staple")).toBeUndefined();
    expect(parseRawKey(randomBytes(31).toString("base64"))).toBeUndefined();
    expect(parseRawKey(randomBytes(33).toString("hex").slice(0, 66))).toBeUndefined();
    expect(parseRawKey(`${raw.toString("hex").slice(0, 63)}g`)).toBeUndefined();
  });
});

describe("computeKeyId", () => {
  it("is 12 hex characters, stable per key, and different across keys", () => {
    const key = randomBytes(32);
    expect(computeKeyId(key)).toMatch(/^[0-9a-f]{12}$/);
    expect(computeKeyId(Buffer.from(key))).toBe(computeKeyId(key));
    expect(computeKeyId(randomBytes(32))).not.toBe(computeKeyId(key));
    expect(key.toString("hex")).not.toContain(computeKeyId(key));
  });
});

describe("resolveEncryptionKey from SWITCHYARD_ENCRYPTION_KEY", () => {
  it("uses a raw key as is", async () => {
    const raw = randomBytes(32);
    const master = await resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: `${raw.toString("hex")}\n` }, meta: memoryMeta(), allowGenerate: false });
    expect(master?.source).toBe("env");
    expect(master?.key.equals(raw)).toBe(true);
    expect(master?.keyId).toBe(computeKeyId(raw));
  });

  it("treats an empty value as unset", async () => {
    expect(await resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: "" }, meta: memoryMeta(), allowGenerate: true })).toBeUndefined();
    expect(await resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: "  " }, dataDir, meta: memoryMeta(), allowGenerate: false })).toBeUndefined();
  });

  it("derives a passphrase with scrypt and a salt created once in meta", async () => {
    const meta = memoryMeta();
    const env = { SWITCHYARD_ENCRYPTION_KEY: "correct horse battery staple" };
    const first = await resolveEncryptionKey({ env, meta, allowGenerate: false });
    const salt = meta.entries.get(KDF_SALT_META_KEY);
    expect(first?.source).toBe("passphrase");
    expect(Buffer.from(salt ?? "", "base64url")).toHaveLength(16);
    const second = await resolveEncryptionKey({ env, meta, allowGenerate: false });
    expect(meta.entries.get(KDF_SALT_META_KEY)).toBe(salt);
    expect(second?.key.equals(first?.key ?? Buffer.alloc(0))).toBe(true);
  });

  it("derives a different key from the same passphrase with a different salt", async () => {
    const env = { SWITCHYARD_ENCRYPTION_KEY: "correct horse battery staple" };
    const one = await resolveEncryptionKey({ env, meta: memoryMeta(), allowGenerate: false });
    const other = await resolveEncryptionKey({ env, meta: memoryMeta(), allowGenerate: false });
    expect(one?.keyId).not.toBe(other?.keyId);
  });

  it("matches scrypt run directly with the stored salt", async () => {
    const salt = randomBytes(16);
    const meta = memoryMeta({ [KDF_SALT_META_KEY]: salt.toString("base64url") });
    const master = await resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: "pässphrase" }, meta, allowGenerate: false });
    expect(master?.key.equals(await derivePassphraseKey("pässphrase", salt))).toBe(true);
  });

  it("refuses a damaged salt instead of replacing it", async () => {
    const meta = memoryMeta({ [KDF_SALT_META_KEY]: "short" });
    const error = await rejection(resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: "a passphrase" }, meta, allowGenerate: false }));
    expect(error.code).toBe("encryption_key_invalid");
    expect(meta.entries.get(KDF_SALT_META_KEY)).toBe("short");
  });

  it("prefers the variable over an existing key file", async () => {
    const raw = randomBytes(32);
    await resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true });
    const master = await resolveEncryptionKey({ env: { SWITCHYARD_ENCRYPTION_KEY: raw.toString("base64") }, dataDir, meta: memoryMeta(), allowGenerate: true });
    expect(master?.source).toBe("env");
  });
});

describe("resolveEncryptionKey from the data directory", () => {
  it.skipIf(onWindows)("generates an owner-only key file once and reads it afterwards", async () => {
    const first = await resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true });
    const file = join(dataDir, "encryption.key");
    expect(first).toMatchObject({ source: "file", keyFile: file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, "utf8")).trim(), "base64").equals(first?.key ?? Buffer.alloc(0))).toBe(true);
    const second = await resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: false });
    expect(second?.keyId).toBe(first?.keyId);
  });

  it("creates the data directory when it does not exist yet", async () => {
    const nested = join(dataDir, "nested", "dir");
    const master = await resolveEncryptionKey({ env: {}, dataDir: nested, meta: memoryMeta(), allowGenerate: true });
    expect(master?.keyFile).toBe(join(nested, "encryption.key"));
  });

  it("agrees on one key when several processes start at once", async () => {
    const masters = await Promise.all(Array.from({ length: 5 }, () => resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true })));
    expect(new Set(masters.map((master) => master?.keyId)).size).toBe(1);
  });

  it("reports no key when generation is not allowed", async () => {
    expect(await resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: false })).toBeUndefined();
    expect(await resolveEncryptionKey({ env: {}, meta: memoryMeta(), allowGenerate: true })).toBeUndefined();
  });

  it.skipIf(onWindows)("refuses a group-readable key file and names the fix", async () => {
    const first = await resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true });
    const file = join(dataDir, "encryption.key");
    await chmod(file, 0o640);
    const error = await rejection(resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true }));
    expect(error.code).toBe("encryption_key_invalid");
    expect(error.message).toContain(`chmod 600 ${file}`);
    expect(error.message).toContain("0640");
    expect(error.message).not.toContain(first?.key.toString("base64") ?? "?");
    // Refused, not replaced: the file still holds the original key.
    expect((await readFile(file, "utf8")).trim()).toBe(first?.key.toString("base64"));
  });

  it.skipIf(onWindows)("refuses a world-readable key file", async () => {
    const file = join(dataDir, "encryption.key");
    await writeFile(file, randomBytes(32).toString("base64"), { mode: 0o604 });
    await chmod(file, 0o604);
    expect((await rejection(resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true }))).code).toBe("encryption_key_invalid");
  });

  it("refuses a key file that holds no key, leaving it in place", async () => {
    const file = join(dataDir, "encryption.key");
    await writeFile(file, "not a key\n", { mode: 0o600 });
    const error = await rejection(resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true }));
    expect(error.message).toContain("does not hold a valid key");
    expect(error.message).not.toContain("not a key");
    expect(await readFile(file, "utf8")).toBe("not a key\n");
  });

  it("explains an empty key file left by an interrupted first start", async () => {
    await writeFile(join(dataDir, "encryption.key"), "", { mode: 0o600 });
    const error = await rejection(resolveEncryptionKey({ env: {}, dataDir, meta: memoryMeta(), allowGenerate: true }));
    expect(error.message).toContain("is empty");
  });
});
