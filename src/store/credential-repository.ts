/**
 * @module store/credential-repository
 * SQL for the `credentials` table. Functions take the Kysely executor to run on (the database or a
 * transaction), so the store decides transactions and error mapping in one place.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Updateable } from "kysely";
import type { CredentialsTable, Database } from "./database-schema.js";
import { serializeLastTest, toCredentialRecord, toStoredBoolean } from "./row-mapping.js";
import { StoreNotFoundError } from "./store-errors.js";
import { StoreConflictError, type CredentialPatch, type CredentialRecord, type NewCredential } from "./store-types.js";

type Dialect = "sqlite" | "postgres";

/** All credentials, lowest priority number first (the order routing tries them), then by name. */
export async function listCredentials(db: Kysely<Database>): Promise<CredentialRecord[]> {
  const rows = await db.selectFrom("credentials").selectAll().orderBy("priority").orderBy("name").execute();
  return rows.map(toCredentialRecord);
}

/** By id or name; an id match wins should some name happen to equal another credential's id. */
export async function findCredential(db: Kysely<Database>, idOrName: string): Promise<CredentialRecord | undefined> {
  const rows = await db
    .selectFrom("credentials")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  const row = rows.find((candidate) => candidate.id === idOrName) ?? rows[0];
  return row === undefined ? undefined : toCredentialRecord(row);
}

/** Inserts a credential with a fresh UUID at version 1. */
export async function insertCredential(db: Kysely<Database>, dialect: Dialect, input: NewCredential): Promise<CredentialRecord> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto("credentials")
    .values({
      id: input.id ?? randomUUID(),
      name: input.name,
      kind: input.kind,
      base_url: input.baseUrl,
      api_key_envelope: input.apiKeyEnvelope,
      service_urls: JSON.stringify(input.serviceUrls),
      service_keys_envelope: input.serviceKeysEnvelope,
      headers_envelope: input.headersEnvelope,
      provider_fields: JSON.stringify(input.providerFields),
      enabled: toStoredBoolean(input.enabled, dialect),
      priority: input.priority,
      last_test: serializeLastTest(input.lastTest ?? null),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCredentialRecord(row);
}

/** The columns a patch changes; fields absent (or undefined) from the patch are left out. */
function patchToRow(patch: CredentialPatch, dialect: Dialect): Updateable<CredentialsTable> {
  const row: Updateable<CredentialsTable> = {};
  if (patch.name !== undefined) row.name = patch.name;
  if (patch.kind !== undefined) row.kind = patch.kind;
  if (patch.baseUrl !== undefined) row.base_url = patch.baseUrl;
  if (patch.apiKeyEnvelope !== undefined) row.api_key_envelope = patch.apiKeyEnvelope;
  if (patch.serviceUrls !== undefined) row.service_urls = JSON.stringify(patch.serviceUrls);
  if (patch.serviceKeysEnvelope !== undefined) row.service_keys_envelope = patch.serviceKeysEnvelope;
  if (patch.headersEnvelope !== undefined) row.headers_envelope = patch.headersEnvelope;
  if (patch.providerFields !== undefined) row.provider_fields = JSON.stringify(patch.providerFields);
  if (patch.enabled !== undefined) row.enabled = toStoredBoolean(patch.enabled, dialect);
  if (patch.priority !== undefined) row.priority = patch.priority;
  if (patch.lastTest !== undefined) row.last_test = serializeLastTest(patch.lastTest);
  return row;
}

/**
 * Applies a patch and increments the version. With `expectedVersion` the row changes only if it is
 * still at that version (compare-and-set in the WHERE clause, so two writers cannot both win).
 * Throws StoreNotFoundError for an unknown id and StoreConflictError for a stale version.
 */
export async function updateCredential(
  db: Kysely<Database>,
  dialect: Dialect,
  id: string,
  patch: CredentialPatch,
  expectedVersion: number | undefined,
): Promise<CredentialRecord> {
  let query = db
    .updateTable("credentials")
    .set((eb) => ({ ...patchToRow(patch, dialect), updated_at: new Date().toISOString(), version: eb("version", "+", 1) }))
    .where("id", "=", id);
  if (expectedVersion !== undefined) query = query.where("version", "=", expectedVersion);
  const row = await query.returningAll().executeTakeFirst();
  if (row !== undefined) return toCredentialRecord(row);

  const current = await db.selectFrom("credentials").select("version").where("id", "=", id).executeTakeFirst();
  if (current === undefined) throw new StoreNotFoundError(`No credential with id "${id}".`);
  throw new StoreConflictError(
    `Credential "${id}" was changed by someone else (it is at version ${Number(current.version)}, ` +
      `this update was based on version ${String(expectedVersion)}); nothing was changed. Reload and try again.`,
  );
}

/** Deletes a credential; its models and their defaults go with it (ON DELETE CASCADE). */
export async function deleteCredential(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom("credentials").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
