/**
 * @module store/open-postgres
 * The scale-out store: several Switchyard instances share one PostgreSQL database (optionally one
 * schema of it), through a small pg pool each. Same migrations and queries as SQLite.
 */
import type { Kysely } from "kysely";
import { KyselyClass, PostgresDialect, sql } from "./kysely-runtime.js";
import pg from "pg";
import { POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_POOL_SIZE } from "../defaults.js";
import type { Database } from "./database-schema.js";
import { KyselyStore, type StoreRuntime } from "./kysely-store.js";
import { runMigrations } from "./run-migrations.js";
import { toStoreError, type StoreErrorContext } from "./store-errors.js";
import { StoreUnavailableError, type Store } from "./store-types.js";

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  readonly kind: "postgres";
  /** `postgres://user:password@host:5432/database`; the password never appears in messages. */
  readonly connectionString: string;
  /** Schema holding Switchyard's tables, created if missing (default `public`). */
  readonly schema?: string;
}

/** Lower-case identifiers only: they need no quoting in `search_path` or in the startup options. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The connection string without password or query parameters (which may carry `password=` or
 * `sslpassword=`), for messages and `Store.location`.
 */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username === "" ? "" : `${url.username}@`;
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    // Keyword/value form (`host=… password=…`).
    return connectionString.replace(/\b(password|sslpassword)\s*=\s*('[^']*'|\S+)/gi, "$1=***");
  }
}

/** The password in a connection string, if any, so it can be scrubbed from driver messages. */
function passwordOf(connectionString: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(connectionString).password);
    return password === "" ? undefined : password;
  } catch {
    return undefined;
  }
}

/** Two instances starting together may both try to create the schema; PG then reports a duplicate. */
async function ensureSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

/** Opens and migrates a PostgreSQL store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError(`Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and underscores.`);
  }
  const location = `${redactConnectionString(options.connectionString)} (schema ${schema})`;
  const errorContext: StoreErrorContext = { dialect: "postgres", location };

  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // Every connection resolves unqualified table names in our schema, raw SQL included.
    options: `-c search_path=${schema}`,
  });
  // An idle connection dropped by the server is reported here; without a listener Node would
  // crash the process. The next query gets a fresh connection or a mapped error.
  pool.on("error", () => undefined);
  const db = new KyselyClass<Database>({ dialect: new PostgresDialect({ pool }) });

  try {
    await ensureSchema(db, schema);
    await runMigrations(db, { location, schema });
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const mapped = toStoreError(error, errorContext);
    if (mapped !== error) throw mapped;
    const password = passwordOf(options.connectionString);
    const raw = error instanceof Error ? error.message : String(error);
    const message = password === undefined ? raw : raw.split(password).join("***");
    // No `cause`: an unrecognised driver error might quote the connection string.
    throw new StoreUnavailableError(`Cannot open the store at ${location}: ${message}`);
  }

  const runtime: StoreRuntime = {
    dialect: "postgres",
    location,
    errorContext,
    db,
    checkAvailable: () => undefined,
    runTransaction: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  };
  return new KyselyStore(runtime);
}
