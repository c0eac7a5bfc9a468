/**
 * @module store/open-store
 * The one way to get a Store: opens SQLite or PostgreSQL, runs pending migrations, and refuses a
 * database created by a newer Switchyard.
 */
import { openPostgresStore, type PostgresStoreOptions } from "./open-postgres.js";
import { openSqliteStore, type SqliteStoreOptions } from "./open-sqlite.js";
import type { Store } from "./store-types.js";

/** Which database to open. */
export type StoreOptions = SqliteStoreOptions | PostgresStoreOptions;

/**
 * Opens the store and brings its schema up to date.
 *
 * @throws StoreUnavailableError when the database cannot be reached or opened, or its schema is
 *   newer than this build; nothing is changed in that case.
 * @example
 * const store = await openStore({ kind: "sqlite", file: join(dataDir, SQLITE_FILE_NAME) });
 */
export function openStore(options: StoreOptions): Promise<Store> {
  return options.kind === "sqlite" ? openSqliteStore(options) : openPostgresStore(options);
}

export type { PostgresStoreOptions, SqliteStoreOptions };
export { StoreNotFoundError } from "./store-errors.js";
