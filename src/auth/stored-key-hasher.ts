/**
 * @module auth/stored-key-hasher
 * The hasher for gateway keys and a generated admin key: HMAC-SHA256 under the store's own
 * key-hashing secret (meta `auth.key_hash_secret`, 32 random bytes written by migration 0002).
 * Kept apart from the encryption key on purpose: rotating or losing that key must not invalidate
 * every gateway key, and instances sharing PostgreSQL share this secret with the data.
 */
import { randomBytes } from "node:crypto";
import { KEY_HASH_SECRET_META_KEY } from "../store/migrations/0002-gateway-keys.js";
import type { Store } from "../store/store-types.js";
import { DIGEST_BYTES, KeyHasher } from "./key-hash.js";

/** The slice of the store the hasher needs. */
export type HasherStore = Pick<Store, "getMeta" | "setMeta" | "transaction">;

function decode(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const secret = Buffer.from(value, "base64url");
  return secret.length >= DIGEST_BYTES ? secret : undefined;
}

/**
 * Loads the store's key-hashing secret. The migration writes it; should the row be gone (a hand
 * edit), a new one is written in a transaction that re-checks first — keys hashed under the lost
 * secret stop working either way, which is why the docs say to keep the meta table intact.
 */
export async function loadKeyHasher(store: HasherStore): Promise<KeyHasher> {
  const existing = decode(await store.getMeta(KEY_HASH_SECRET_META_KEY));
  if (existing !== undefined) return new KeyHasher(existing);
  const secret = await store.transaction(async (inner) => {
    const raced = decode(await inner.getMeta(KEY_HASH_SECRET_META_KEY));
    if (raced !== undefined) return raced;
    const fresh = randomBytes(DIGEST_BYTES);
    await inner.setMeta(KEY_HASH_SECRET_META_KEY, fresh.toString("base64url"));
    return fresh;
  });
  return new KeyHasher(secret);
}
