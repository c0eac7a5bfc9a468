/**
 * @module store/open-store
 * The one way to get a Store: opens SQLite or PostgreSQL, runs pending migrations, and refuses a
 * database created by a newer Switchyard.
 */
import type { PostgresStoreOptions } from "./open-postgres.js";
import type { SqliteStoreOptions } from "./open-sqlite.js";
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
export async function openStore(options: StoreOptions): Promise<Store> {
  // Each driver is loaded only when used: `pg` alone costs ~17 MB of resident memory that an
  // embedded SQLite gateway never needs, and the reverse holds for a PostgreSQL deployment.
  if (options.kind === "sqlite") return (await import("./open-sqlite.js")).openSqliteStore(options);
  return (await import("./open-postgres.js")).openPostgresStore(options);
}

export type { PostgresStoreOptions, SqliteStoreOptions };
export { StoreNotFoundError } from "./store-errors.js";
