/**
 * @module store/migrations/0002-gateway-keys
 * Schema version 2: the `gateway_keys` table and the secret that keys hashes of gateway keys and of
 * a generated admin key. Like 0001, schema builder only and re-runnable.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Migration } from "kysely";
import { sql } from "../kysely-runtime.js";

/** Meta entry holding the key-hashing secret (32 random bytes, base64url); see docs/security.md. */
export const KEY_HASH_SECRET_META_KEY = "auth.key_hash_secret";

/** Creates `gateway_keys` and, once, the key-hashing secret. */
export const gatewayKeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("gateway_keys")
      .ifNotExists()
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("name", "text", (column) => column.notNull())
      // HMAC-SHA256 of the whole key, base64url: what a request's key is looked up by.
      .addColumn("key_hash", "text", (column) => column.notNull())
      .addColumn("key_prefix", "text", (column) => column.notNull())
      // JSON array of model ids, or null for "every model".
      .addColumn("models", "text")
      .addColumn("rpm", "integer")
      .addColumn("tpm", "integer")
      .addColumn("expires_at", "text")
      .addColumn("revoked_at", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addUniqueConstraint("gateway_keys_key_hash_unique", ["key_hash"])
      .execute();

    // Generated here rather than on first use: migrations run under Kysely's lock, so two processes
    // starting together cannot each write a different secret (which would orphan one's keys).
    // `on conflict do nothing` keeps the first secret when the migration is re-run.
    const secret = randomBytes(32).toString("base64url");
    await sql`insert into meta (key, value) values (${KEY_HASH_SECRET_META_KEY}, ${secret}) on conflict (key) do nothing`.execute(db);
  },
};
