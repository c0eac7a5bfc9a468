/**
 * @module store/open-sqlite
 * The embedded store: one SQLite file (WAL, foreign keys on, owner-only permissions) that several
 * processes on the same machine may share; writers queue on SQLite's lock up to the busy timeout.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import { KyselyClass, SqliteDialect, sql } from "./kysely-runtime.js";
import { SQLITE_BUSY_TIMEOUT_MS } from "../defaults.js";
import type { Database } from "./database-schema.js";
import { KyselyStore, type StoreRuntime } from "./kysely-store.js";
import { runMigrations } from "./run-migrations.js";
import { toStoreError, unavailableFile, type StoreErrorContext } from "./store-errors.js";
import type { Store } from "./store-types.js";

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  readonly kind: "sqlite";
  /** Database file, normally `<dataDir>/switchyard.db` (SQLITE_FILE_NAME); `:memory:` for a throw-away store. */
  readonly file: string;
  /** How long a write waits for another process's lock before failing (default SQLITE_BUSY_TIMEOUT_MS). */
  readonly busyTimeoutMs?: number;
}

const MEMORY = ":memory:";

/**
 * Creates the file (and its directory) owner-only before SQLite opens it: the file holds encrypted
 * keys and their metadata, and SQLite gives its -wal and -shm files the database file's mode.
 */
function createOwnerOnlyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let descriptor: number;
  try {
    descriptor = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") return;
    throw error;
  }
  try {
    fchmodSync(descriptor, 0o600);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Notices the file being deleted or replaced under a running process: SQLite keeps using the
 * unlinked inode and would accept writes that nobody will ever see again.
 */
function fileWatcher(file: string, context: StoreErrorContext): () => void {
  if (file === MEMORY) return () => undefined;
  const inode = statSync(file).ino;
  return () => {
    let current: number;
    try {
      current = statSync(file).ino;
    } catch (error) {
      throw unavailableFile(context, error);
    }
    if (current !== inode) throw unavailableFile(context);
  };
}

/** Begins an immediate (write-locking) transaction so the busy timeout applies at its start. */
async function inWriteTransaction<T>(
  database: BetterSqlite3.Database,
  executor: Kysely<Database>,
  work: (executor: Kysely<Database>) => Promise<T>,
): Promise<T> {
  // A deferred BEGIN that reads first and writes later gets SQLITE_BUSY at once, without waiting.
  await sql`begin immediate`.execute(executor);
  try {
    const result = await work(executor);
    await sql`commit`.execute(executor);
    return result;
  } catch (error) {
    if (database.inTransaction) await sql`rollback`.execute(executor).catch(() => undefined);
    throw error;
  }
}

/** Opens (creating if needed) and migrates a SQLite store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const file = options.file === MEMORY ? MEMORY : resolve(options.file);
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const errorContext: StoreErrorContext = { dialect: "sqlite", location: file, busyTimeoutMs };

  let database: BetterSqlite3.Database;
  let checkAvailable: () => void;
  try {
    if (file !== MEMORY) createOwnerOnlyFile(file);
    database = new BetterSqlite3(file, { timeout: busyTimeoutMs });
    checkAvailable = fileWatcher(file, errorContext);
  } catch (error) {
    const mapped = toStoreError(error, errorContext);
    throw mapped instanceof Error && mapped !== error ? mapped : unavailableFile(errorContext, error);
  }

  const db = new KyselyClass<Database>({ dialect: new SqliteDialect({ database }) });
  try {
    // WAL lets readers (other processes polling the revision) run while one process writes.
    database.pragma("journal_mode = WAL");
    // Off by default in SQLite, per connection; the cascades to models and defaults depend on it.
    database.pragma("foreign_keys = ON");
    // Holding the write lock for the whole run makes a migration atomic and serialises processes
    // that start together; Kysely runs SQLite migrations without a transaction of its own.
    await inWriteTransaction(database, db, (executor) => runMigrations(executor, { location: file }));
  } catch (error) {
    await db.destroy();
    throw toStoreError(error, errorContext);
  }

  const runtime: StoreRuntime = {
    dialect: "sqlite",
    location: file,
    errorContext,
    db,
    checkAvailable,
    // One connection: Kysely's mutex makes other store calls wait until the transaction ends.
    runTransaction: (work) => db.connection().execute((executor) => inWriteTransaction(database, executor, work)),
    close: () => db.destroy(),
  };
  return new KyselyStore(runtime);
}
