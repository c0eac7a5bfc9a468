/**
 * @module store/run-migrations
 * Brings a database to the schema this build knows, at start-up, and refuses (changing nothing) a
 * database that a newer Switchyard has already migrated further.
 */
import type { Kysely } from "kysely";
import { Migrator } from "./kysely-runtime.js";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, type Database } from "./database-schema.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrationProvider, schemaVersionOf } from "./migrations/index.js";
import { StoreUnavailableError } from "./store-types.js";

/** Where the migration log lives. */
export interface MigrationTarget {
  /** Redacted location, for messages. */
  readonly location: string;
  /** PostgreSQL schema holding the tables; absent on SQLite. */
  readonly schema?: string;
}

/** Names in the migration log, or none when the log table does not exist yet (a new database). */
async function executedMigrations(db: Kysely<Database>, target: MigrationTarget): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const present = tables.some(
    (table) => table.name === MIGRATION_TABLE && (target.schema === undefined || table.schema === target.schema),
  );
  if (!present) return [];
  // The log table is not part of `Database`: it belongs to Kysely's Migrator.
  const untyped = db as unknown as Kysely<Record<string, { name: string }>>;
  const query = target.schema === undefined ? untyped : untyped.withSchema(target.schema);
  const rows = await query.selectFrom(MIGRATION_TABLE).select("name").execute();
  return rows.map((row) => row.name);
}

/**
 * Checked before the Migrator runs because Kysely only reports "corrupted migrations" for an
 * unknown entry, and because it would first create its lock table: refusing here changes nothing.
 */
async function refuseUnknownMigrations(db: Kysely<Database>, target: MigrationTarget): Promise<void> {
  const unknown = (await executedMigrations(db, target)).filter((name) => !(name in MIGRATIONS));
  if (unknown.length === 0) return;
  const newest = Math.max(...unknown.map((name) => schemaVersionOf(name) ?? 0));
  if (newest > LATEST_SCHEMA_VERSION) {
    throw new StoreUnavailableError(
      `The database at ${target.location} was created by a newer Switchyard (schema version ${newest}, ` +
        `this build knows up to ${LATEST_SCHEMA_VERSION}). Upgrade Switchyard; nothing was changed.`,
    );
  }
  throw new StoreUnavailableError(
    `The database at ${target.location} records schema migrations this build does not know ` +
      `(${unknown.join(", ")}); it was written by a different Switchyard build. Nothing was changed.`,
  );
}

/**
 * Runs every pending migration. Throws StoreUnavailableError when the database is newer than this
 * build or a migration fails; other instances starting at the same time wait on Kysely's
 * migration lock (an advisory lock on PostgreSQL; the caller's write transaction on SQLite).
 */
export async function runMigrations(db: Kysely<Database>, target: MigrationTarget): Promise<void> {
  await refuseUnknownMigrations(db, target);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(target.schema === undefined ? {} : { migrationTableSchema: target.schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error === undefined) return;
  if (error instanceof StoreUnavailableError) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  // Connection failures surface here too; the caller maps those by their code, so keep the original.
  if (typeof error === "object" && error !== null && "code" in error) throw error;
  throw new StoreUnavailableError(`Could not update the database schema at ${target.location}: ${detail}`, { cause: error });
}
