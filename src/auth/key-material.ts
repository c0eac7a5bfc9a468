/**
 * @module auth/key-material
 * The secrets Switchyard hands out: gateway keys (`sk-sy-…`) for `/v1` clients and generated admin
 * keys (`sy-admin-…`). Each carries 43 base62 characters from the OS CSPRNG (256 bits); base62
 * so that a double-click selects the whole key and no character needs escaping anywhere.
 */
import { randomBytes } from "node:crypto";

/** Every gateway key starts with this; log redaction and secret scanners can key on it. */
export const GATEWAY_KEY_PREFIX = "sk-sy-";

/** Every generated admin key starts with this, so it is never mistaken for a gateway key. */
export const ADMIN_KEY_PREFIX = "sy-admin-";

/** 43 × log2(62) ≈ 256.03 bits, the strength of a 32-byte key. */
export const KEY_SECRET_CHARACTERS = 43;

/** Random characters shown after the prefix in lists (`sk-sy-abcd…`): too few to guess the rest from. */
export const DISPLAYED_SECRET_CHARACTERS = 4;

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Bytes at or above this are discarded: 248 = 4 × 62, so `byte % 62` stays uniform. */
const UNBIASED_LIMIT = 248;

const GATEWAY_KEY_PATTERN = new RegExp(`^${GATEWAY_KEY_PREFIX}[0-9A-Za-z]{${KEY_SECRET_CHARACTERS}}$`);

/** `length` uniformly random base62 characters (rejection sampling, never modulo bias). */
export function randomBase62(length: number): string {
  const characters: string[] = [];
  while (characters.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      characters.push(ALPHABET[byte % ALPHABET.length] as string);
      if (characters.length === length) break;
    }
  }
  return characters.join("");
}

/** A new gateway key; shown to its creator once and stored only as a keyed hash. */
export function generateGatewayKey(): string {
  return `${GATEWAY_KEY_PREFIX}${randomBase62(KEY_SECRET_CHARACTERS)}`;
}

/** A new admin key for `switchyard admin-key create`. */
export function generateAdminKey(): string {
  return `${ADMIN_KEY_PREFIX}${randomBase62(KEY_SECRET_CHARACTERS)}`;
}

/** True for a string shaped like a gateway key (prefix and 43 base62 characters). */
export function isGatewayKeyFormat(value: string): boolean {
  return GATEWAY_KEY_PATTERN.test(value);
}

/** What lists show of a key: the prefix and its first random characters, e.g. `sk-sy-aB3x`. */
export function displayPrefix(key: string): string {
  return key.slice(0, GATEWAY_KEY_PREFIX.length + DISPLAYED_SECRET_CHARACTERS);
}
