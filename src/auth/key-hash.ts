/**
 * @module auth/key-hash
 * Keyed hashes of presented secrets and their constant-time comparison. Gateway keys and a
 * generated admin key are stored only as HMAC-SHA256 under a secret of the store; an admin key
 * from the environment is hashed under a per-process random secret, so that every comparison is
 * between two 32-byte digests and never reveals a secret's length (timingSafeEqual throws on
 * unequal lengths, and the usual length pre-check leaks it).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Bytes of an HMAC-SHA256 digest. */
export const DIGEST_BYTES = 32;

/** Compares two base64url digests in constant time; anything not a 32-byte digest is unequal. */
export function digestsEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, "base64url");
  const b = Buffer.from(right, "base64url");
  // Both sides are HMAC outputs, so these checks only ever fail for a damaged stored value.
  if (a.length !== DIGEST_BYTES || b.length !== DIGEST_BYTES) return false;
  return timingSafeEqual(a, b);
}

/** HMAC-SHA256 under one secret. Holds the secret in a private field, out of logs and JSON. */
export class KeyHasher {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < DIGEST_BYTES) throw new Error(`A key-hashing secret needs at least ${DIGEST_BYTES} bytes.`);
    this.#secret = secret;
  }

  /** A hasher under a fresh random secret, for values that live only in this process. */
  static random(): KeyHasher {
    return new KeyHasher(randomBytes(DIGEST_BYTES));
  }

  /** The keyed hash of `value`, base64url (43 characters). */
  hash(value: string): string {
    return createHmac("sha256", this.#secret).update(value, "utf8").digest("base64url");
  }

  /** True when `value` hashes to `storedHash`; the comparison takes the same time whatever differs. */
  matches(value: string, storedHash: string): boolean {
    return digestsEqual(this.hash(value), storedHash);
  }
}
