/**
 * @module store/model-repository
 * SQL for the `models`, `defaults`, `meta` and `store_revision` tables. Like the credential
 * repository, each function runs on the executor it is given.
 */
import type { Kysely, Updateable } from "kysely";
import { sql } from "./kysely-runtime.js";
import type { Database, ModelsTable } from "./database-schema.js";
import { isModelType, toModelRecord } from "./row-mapping.js";
import { StoreNotFoundError } from "./store-errors.js";
import type { ModelPatch, ModelRecord, ModelType, NewModel } from "./store-types.js";

/** All models, by id. */
export async function listModels(db: Kysely<Database>): Promise<ModelRecord[]> {
  const rows = await db.selectFrom("models").selectAll().orderBy("id").execute();
  return rows.map(toModelRecord);
}

/** One model by id. */
export async function findModel(db: Kysely<Database>, id: string): Promise<ModelRecord | undefined> {
  const row = await db.selectFrom("models").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : toModelRecord(row);
}

/** Inserts a model; an unknown credential id fails the foreign key (mapped to StoreNotFoundError). */
export async function insertModel(db: Kysely<Database>, input: NewModel): Promise<ModelRecord> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto("models")
    .values({
      id: input.id,
      credential_id: input.credentialId,
      name: input.name,
      upstream_model: input.upstreamModel,
      display_name: input.displayName,
      type: input.type,
      context_window: input.contextWindow,
      capabilities: JSON.stringify(input.capabilities),
      input_price_per_million: input.inputPricePerMillion,
      output_price_per_million: input.outputPricePerMillion,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toModelRecord(row);
}

function patchToRow(patch: ModelPatch): Updateable<ModelsTable> {
  const row: Updateable<ModelsTable> = {};
  if (patch.upstreamModel !== undefined) row.upstream_model = patch.upstreamModel;
  if (patch.displayName !== undefined) row.display_name = patch.displayName;
  if (patch.type !== undefined) row.type = patch.type;
  if (patch.contextWindow !== undefined) row.context_window = patch.contextWindow;
  if (patch.capabilities !== undefined) row.capabilities = JSON.stringify(patch.capabilities);
  if (patch.inputPricePerMillion !== undefined) row.input_price_per_million = patch.inputPricePerMillion;
  if (patch.outputPricePerMillion !== undefined) row.output_price_per_million = patch.outputPricePerMillion;
  return row;
}

/** Applies a patch; throws StoreNotFoundError for an unknown id. */
export async function updateModel(db: Kysely<Database>, id: string, patch: ModelPatch): Promise<ModelRecord> {
  const row = await db
    .updateTable("models")
    .set({ ...patchToRow(patch), updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new StoreNotFoundError(`No model with id "${id}".`);
  return toModelRecord(row);
}

/** Deletes a model; a default naming it goes with it (ON DELETE CASCADE). */
export async function deleteModel(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom("models").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Default model id per type; rows with a type this build does not know are ignored. */
export async function readDefaults(db: Kysely<Database>): Promise<Partial<Record<ModelType, string>>> {
  const rows = await db.selectFrom("defaults").selectAll().execute();
  const defaults: Partial<Record<ModelType, string>> = {};
  for (const row of rows) if (isModelType(row.type)) defaults[row.type] = row.model_id;
  return defaults;
}

/** Sets or (with null) clears the default for a type; an unknown model id fails the foreign key. */
export async function writeDefault(db: Kysely<Database>, type: ModelType, modelId: string | null): Promise<void> {
  if (!isModelType(type)) throw new TypeError(`Unknown model type "${String(type)}".`);
  if (modelId === null) {
    await db.deleteFrom("defaults").where("type", "=", type).execute();
    return;
  }
  await db
    .insertInto("defaults")
    .values({ type, model_id: modelId })
    .onConflict((conflict) => conflict.column("type").doUpdateSet({ model_id: modelId }))
    .execute();
}

/** A meta value, or undefined. */
export async function readMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Inserts or replaces a meta value. */
export async function writeMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}

/** The current revision. */
export async function readRevision(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("store_revision").select("value").where("id", "=", 1).executeTakeFirst();
  return Number(row?.value ?? 0);
}

/**
 * Increments the revision. Called first in every write transaction: on PostgreSQL the row lock it
 * takes makes every writer queue on the same lock first, so two multi-write transactions cannot
 * deadlock on each other's rows.
 */
export async function bumpRevision(db: Kysely<Database>): Promise<void> {
  await db.updateTable("store_revision").set({ value: sql`value + 1` }).where("id", "=", 1).execute();
}
