/**
 * @module store/gateway-key-repository
 * SQL for the `gateway_keys` table. Like the other repositories, functions take the executor to run
 * on, so the store decides transactions and error mapping.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, GatewayKeysTable } from "./database-schema.js";
import type { GatewayKeyRecord, NewGatewayKey } from "./store-types.js";

/** A stored allow-list; anything but a JSON array of strings reads as "every model" is not safe, so it reads as "none". */
function parseModels(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  } catch {
    // Fall through: a damaged allow-list must not widen what the key may use.
  }
  return [];
}

function nullableInteger(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** A `gateway_keys` row as a record. */
function toGatewayKeyRecord(row: Selectable<GatewayKeysTable>): GatewayKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    models: parseModels(row.models),
    rpm: nullableInteger(row.rpm),
    tpm: nullableInteger(row.tpm),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

/** Every key, oldest first (ties by id, so the order is stable). */
export async function listGatewayKeys(db: Kysely<Database>): Promise<GatewayKeyRecord[]> {
  const rows = await db.selectFrom("gateway_keys").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toGatewayKeyRecord);
}

/** One key by id. */
export async function findGatewayKey(db: Kysely<Database>, id: string): Promise<GatewayKeyRecord | undefined> {
  const row = await db.selectFrom("gateway_keys").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : toGatewayKeyRecord(row);
}

/** Inserts a key with a fresh UUID unless the caller chose one. */
export async function insertGatewayKey(db: Kysely<Database>, input: NewGatewayKey): Promise<GatewayKeyRecord> {
  const row = await db
    .insertInto("gateway_keys")
    .values({
      id: input.id ?? randomUUID(),
      name: input.name,
      key_hash: input.keyHash,
      key_prefix: input.keyPrefix,
      models: input.models === null ? null : JSON.stringify(input.models),
      rpm: input.rpm,
      tpm: input.tpm,
      expires_at: input.expiresAt,
      revoked_at: null,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toGatewayKeyRecord(row);
}

/** Sets `revoked_at` unless already set; returns the key as it now is, or undefined for an unknown id. */
export async function revokeGatewayKey(db: Kysely<Database>, id: string): Promise<GatewayKeyRecord | undefined> {
  await db.updateTable("gateway_keys").set({ revoked_at: new Date().toISOString() }).where("id", "=", id).where("revoked_at", "is", null).execute();
  return findGatewayKey(db, id);
}
