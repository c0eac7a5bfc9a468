/**
 * @module store/database-schema
 * Row types of the tables, as Kysely sees them (snake_case, as stored). Only the store's own
 * modules use these; everything else gets the camelCase records of store-types.ts.
 */

/**
 * A stored boolean: PostgreSQL returns `true`/`false`, SQLite (no boolean type) returns 1/0, and
 * better-sqlite3 refuses to bind a JS boolean, so writes go through `toStoredBoolean`.
 */
export type StoredBoolean = boolean | number;

/**
 * A counter: `bigint` columns come back from pg as strings (they may exceed 2^53) and from
 * better-sqlite3 as numbers.
 */
export type StoredCounter = number | string | bigint;

/** `credentials`: one row per provider a user added. */
export interface CredentialsTable {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  api_key_envelope: string | null;
  /** JSON object: service → base URL. */
  service_urls: string;
  service_keys_envelope: string | null;
  headers_envelope: string | null;
  /** JSON object of kind-specific settings. */
  provider_fields: string;
  enabled: StoredBoolean;
  priority: number;
  /** JSON LastTestResult, or null before the first test. */
  last_test: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** `models`: registered models, deleted with their credential. */
export interface ModelsTable {
  id: string;
  credential_id: string;
  name: string;
  upstream_model: string;
  display_name: string | null;
  type: string;
  context_window: number | null;
  /** JSON array of capability names. */
  capabilities: string;
  input_price_per_million: number | null;
  output_price_per_million: number | null;
  created_at: string;
  updated_at: string;
}

/** `defaults`: the default model per type; a row disappears with its model. */
export interface DefaultsTable {
  type: string;
  model_id: string;
}

/** `meta`: free key/value pairs for other modules (e.g. the encryption key id in use). */
export interface MetaTable {
  key: string;
  value: string;
}

/** `store_revision`: a single row (id 1) whose value grows with every write. */
export interface StoreRevisionTable {
  id: number;
  value: StoredCounter;
}

/** `gateway_keys`: keys clients send to `/v1`, stored as keyed hashes; revoked rows stay. */
export interface GatewayKeysTable {
  id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  /** JSON array of model ids, or null for every model. */
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  credentials: CredentialsTable;
  models: ModelsTable;
  defaults: DefaultsTable;
  meta: MetaTable;
  store_revision: StoreRevisionTable;
  gateway_keys: GatewayKeysTable;
}

/** Table name of Kysely's migration log (named so it cannot clash in a shared PostgreSQL schema). */
export const MIGRATION_TABLE = "switchyard_migration";

/** Table name of Kysely's migration lock row. */
export const MIGRATION_LOCK_TABLE = "switchyard_migration_lock";
