/**
 * @module secrets/encryption-key
 * Finds the master key that seals stored secrets: `SWITCHYARD_ENCRYPTION_KEY` (a raw key, or a
 * passphrase stretched with scrypt), else a key file generated once into the data directory.
 * Key material never appears in a message or a log line; only its key id does.
 */
import { createHmac, randomBytes, scrypt } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Environment } from "../config/resolve-providers.js";
import {
  ENCRYPTION_KDF_SCRYPT_BLOCK_SIZE,
  ENCRYPTION_KDF_SCRYPT_COST,
  ENCRYPTION_KDF_SCRYPT_MAX_MEMORY_BYTES,
  ENCRYPTION_KDF_SCRYPT_PARALLELISM,
} from "../defaults.js";
import { GatewayError } from "../errors/gateway-error.js";
import { ENCRYPTION_KEY_BYTES } from "./envelope.js";
import { errorCode } from "../util/error-code.js";

/** The environment variable holding the master key or passphrase. */
export const ENCRYPTION_KEY_ENV = "SWITCHYARD_ENCRYPTION_KEY";

/** Name of the generated key file inside the data directory. */
export const KEY_FILE_NAME = "encryption.key";

/** The next key while `rotate-key` runs; renamed over {@link KEY_FILE_NAME} once the store is re-sealed. */
export const PENDING_KEY_FILE_NAME = "encryption.key.new";

/** Meta entry holding the scrypt salt; it lives in the database so it travels with every backup. */
export const KDF_SALT_META_KEY = "encryption.kdf_salt";

/** 128-bit salt, the size RFC 7914 and OWASP recommend. */
const KDF_SALT_BYTES = 16;

/** Permission bits for group and others; a key file must have none of them. */
const GROUP_OR_OTHER_BITS = 0o077;

/** The slice of the store the key machinery needs; the real `Store` satisfies it. */
export interface MetaStore {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}

/** Where a master key came from: a raw key or a passphrase in the environment, or the data-directory file. */
export type KeySource = "env" | "passphrase" | "file";

/** A resolved master key. Keep it out of logs: `key` is the secret, `keyId` is safe to show. */
export interface MasterKey {
  readonly key: Buffer;
  readonly keyId: string;
  readonly source: KeySource;
  /** The key file, when `source` is `file`. */
  readonly keyFile?: string;
}

/** Options for {@link resolveEncryptionKey}. */
export interface ResolveKeyOptions {
  readonly env: Environment;
  /** The data directory; needed for the generated key file. */
  readonly dataDir?: string;
  /** Holds the passphrase salt. */
  readonly meta: MetaStore;
  /**
   * Whether a missing key file may be generated. True only for the embedded default: instances
   * sharing PostgreSQL must all use one key, so each generating its own would split them.
   */
  readonly allowGenerate: boolean;
}

/**
 * Resolves the master key: the environment variable wins, then `<dataDir>/encryption.key` (created
 * when allowed). Undefined means no key is configured. Throws a GatewayError
 * (`encryption_key_invalid`) for a key file that is unsafe or unreadable, never replacing it.
 */
export async function resolveEncryptionKey(options: ResolveKeyOptions): Promise<MasterKey | undefined> {
  // Trimmed because `.env` files and secret managers often leave a trailing newline or CR.
  const value = options.env[ENCRYPTION_KEY_ENV]?.trim();
  if (value) return masterKeyFromValue(value, options.meta);
  if (options.dataDir === undefined) return undefined;
  const file = keyFilePath(options.dataDir);
  const existing = await readKeyFile(file);
  if (existing !== undefined) return { key: existing, keyId: computeKeyId(existing), source: "file", keyFile: file };
  if (!options.allowGenerate) return undefined;
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(ENCRYPTION_KEY_BYTES);
  // Lost a race with another process starting at the same moment: use the key it wrote.
  const key = (await writeKeyFileExclusive(file, generated)) ? generated : await readKeyFile(file);
  if (key === undefined) throw new GatewayError("encryption_key_invalid", `${file} vanished while it was being created; start again.`);
  return { key, keyId: computeKeyId(key), source: "file", keyFile: file };
}

/**
 * A master key from a configured value: a raw key (64 hex characters, or base64/base64url of 32
 * bytes) is used as is; anything else is a passphrase, stretched with scrypt and the stored salt.
 */
export async function masterKeyFromValue(value: string, meta: MetaStore): Promise<MasterKey> {
  const raw = parseRawKey(value);
  if (raw !== undefined) return { key: raw, keyId: computeKeyId(raw), source: "env" };
  const key = await derivePassphraseKey(value, await installSalt(meta));
  return { key, keyId: computeKeyId(key), source: "passphrase" };
}

/** Decodes a raw 32-byte key written as hex, base64 or base64url; undefined for anything else. */
export function parseRawKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  // 32 bytes are 43 base64 characters plus one `=` of padding; accept it with or without.
  const match = /^([A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/.exec(value);
  if (match?.[1] === undefined) return undefined;
  const unpadded = match[1];
  const bytes = Buffer.from(unpadded, "base64");
  // The last character carries two unused bits; reject spellings where they are set.
  const canonical = bytes.toString(unpadded.includes("+") || unpadded.includes("/") ? "base64" : "base64url").replace(/=+$/, "");
  return bytes.length === ENCRYPTION_KEY_BYTES && canonical === unpadded ? bytes : undefined;
}

/** Stretches a passphrase into a 32-byte key with scrypt (parameters in `defaults.ts`). */
export function derivePassphraseKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  const parameters = {
    N: ENCRYPTION_KDF_SCRYPT_COST,
    r: ENCRYPTION_KDF_SCRYPT_BLOCK_SIZE,
    p: ENCRYPTION_KDF_SCRYPT_PARALLELISM,
    maxmem: ENCRYPTION_KDF_SCRYPT_MAX_MEMORY_BYTES,
  };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize("NFC"), salt, ENCRYPTION_KEY_BYTES, parameters, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * A short public name for a key: the first 12 hex characters of HMAC-SHA256(key, "switchyard key id").
 * One-way, so showing it reveals nothing about the key, yet two keys practically never share one.
 */
export function computeKeyId(key: Buffer): string {
  return createHmac("sha256", key).update("switchyard key id").digest("hex").slice(0, 12);
}

/** `<dataDir>/encryption.key`. */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

/**
 * Reads a key file; undefined when it does not exist. Refuses (GatewayError `encryption_key_invalid`)
 * a file other users may read or write, or one that does not hold a key — and never replaces it,
 * because the stored credentials may be sealed with the key it is supposed to hold.
 */
export async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw new GatewayError("encryption_key_invalid", `Cannot read the encryption key file ${file} (${errorCode(error) ?? "error"}). Check its owner and permissions.`, { cause: error });
  }
  try {
    // Stat the open handle, not the path, so the file checked is the file read.
    const stats = await handle.stat();
    if (!stats.isFile()) throw new GatewayError("encryption_key_invalid", `The encryption key file ${file} is not a regular file.`);
    // Windows has no POSIX mode bits (it always reports 0o666), so only its ACLs protect the file.
    if (process.platform !== "win32" && (stats.mode & GROUP_OR_OTHER_BITS) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, "0");
      throw new GatewayError("encryption_key_invalid", `The encryption key file ${file} is accessible to other users (mode ${mode}). Run \`chmod 600 ${file}\` and start again.`);
    }
    const text = (await handle.readFile("utf8")).trim();
    if (text === "") {
      // Only an interrupted first start leaves it empty, and no secret was ever sealed with an empty file.
      throw new GatewayError("encryption_key_invalid", `The encryption key file ${file} is empty (an interrupted first start). Delete it and start again.`);
    }
    const key = parseRawKey(text);
    if (key === undefined) {
      throw new GatewayError("encryption_key_invalid", `The encryption key file ${file} does not hold a valid key (32 bytes in base64). Restore it from a backup; do not delete it while stored credentials depend on it.`);
    }
    return key;
  } finally {
    await handle.close();
  }
}

/**
 * Creates `file` holding `key` (base64), owner-only, failing rather than replacing an existing file:
 * returns false when it already exists. Synced to disk before returning, because secrets sealed
 * with a key that a crash then loses are gone for good.
 */
export async function writeKeyFileExclusive(file: string, key: Buffer): Promise<boolean> {
  let handle;
  try {
    // `wx` is O_CREAT|O_EXCL: atomic, so two processes never both believe they created the key.
    handle = await open(file, "wx", 0o600);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${key.toString("base64")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(file));
  return true;
}

/**
 * Makes a file's creation or rename durable (fsync of its directory). Best effort: Windows cannot
 * open directories (and does not need this), and some network filesystems refuse it.
 */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return;
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The data is already written and synced; only crash-durability of the name is at stake.
  }
}

async function installSalt(meta: MetaStore): Promise<Buffer> {
  const stored = await meta.getMeta(KDF_SALT_META_KEY);
  if (stored !== undefined) return decodeSalt(stored);
  await meta.setMeta(KDF_SALT_META_KEY, randomBytes(KDF_SALT_BYTES).toString("base64url"));
  // Another instance may have stored its own salt at the same moment; whichever write won is the salt.
  return decodeSalt((await meta.getMeta(KDF_SALT_META_KEY)) ?? "");
}

function decodeSalt(text: string): Buffer {
  const salt = Buffer.from(text, "base64url");
  if (salt.length !== KDF_SALT_BYTES || salt.toString("base64url") !== text) {
    throw new GatewayError("encryption_key_invalid", `The stored passphrase salt (meta ${KDF_SALT_META_KEY}) is damaged, so the passphrase cannot be turned into the key. Restore the database from a backup.`);
  }
  return salt;
}

