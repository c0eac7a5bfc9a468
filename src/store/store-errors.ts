/**
 * @module store/store-errors
 * Turns driver errors (better-sqlite3, pg, sockets) into the Store*Error classes, with messages a
 * user can act on and that never carry a password (only the store's redacted location).
 */
import { StoreConflictError, StoreDuplicateError, StoreUnavailableError } from "./store-types.js";

/**
 * Raised when an update names a credential or model that does not exist, or a write refers to one
 * that does not (a model for an unknown credential, a default for an unknown model). Lives here
 * rather than in store-types.ts to leave that interface file as agreed; callers map it to 404.
 */
export class StoreNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreNotFoundError";
  }
}

/** What the mapper needs to know to word a message. */
export interface StoreErrorContext {
  readonly dialect: "sqlite" | "postgres";
  /** Redacted location of the database. */
  readonly location: string;
  /** SQLite's busy timeout, named in the "locked" message. */
  readonly busyTimeoutMs?: number;
}

/** Messages for the constraint failures of one operation. */
export interface ConstraintMessages {
  /** For a unique violation; `onName` is true when the name (not the id) collided. */
  readonly duplicate?: (onName: boolean) => string;
  /** For a foreign-key violation: the row referred to does not exist. */
  readonly missingReference?: string;
}

/** Socket-level codes that mean "PostgreSQL cannot be reached". */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/** Already-mapped errors pass through unchanged. */
function isStoreError(error: unknown): boolean {
  return (
    error instanceof StoreConflictError ||
    error instanceof StoreDuplicateError ||
    error instanceof StoreUnavailableError ||
    error instanceof StoreNotFoundError
  );
}

function errorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // Node reports a refused dual-stack connect as an AggregateError whose parts carry the code.
  const parts = (error as { errors?: unknown }).errors;
  return Array.isArray(parts) && parts.length > 0 ? errorCode(parts[0]) : "";
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const constraint = (error as { constraint?: unknown }).constraint;
  return `${error.message} ${typeof constraint === "string" ? constraint : ""}`;
}

/** True when a unique violation is on a `name` column or constraint rather than the primary key. */
function collidedOnName(error: unknown): boolean {
  return /(\.name\b|name_unique)/.test(errorText(error));
}

function mapSqlite(error: unknown, context: StoreErrorContext, messages: ConstraintMessages): Error | undefined {
  const code = errorCode(error);
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new StoreDuplicateError(messages.duplicate?.(collidedOnName(error)) ?? "That name or id is already taken.");
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
    return new StoreNotFoundError(messages.missingReference ?? "The record referred to does not exist.");
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    const waited = context.busyTimeoutMs === undefined ? "" : ` (waited ${context.busyTimeoutMs} ms)`;
    return new StoreUnavailableError(
      `The database at ${context.location} is locked by another process${waited}; nothing was changed. ` +
        "Retry, or stop the other Switchyard process or tool holding it.",
      { cause: error },
    );
  }
  if (code === "SQLITE_READONLY_DBMOVED" || code === "SQLITE_CANTOPEN" || code.startsWith("SQLITE_IOERR")) {
    return unavailableFile(context, error);
  }
  if (/^SQLITE_(READONLY|CORRUPT|NOTADB|FULL|PERM)/.test(code)) {
    return new StoreUnavailableError(
      `The database at ${context.location} cannot be used (${code}); nothing was changed. Check the file, its permissions and free disk space.`,
      { cause: error },
    );
  }
  return undefined;
}

/** The message for a database file that was deleted, moved or never could be opened. */
export function unavailableFile(context: StoreErrorContext, cause?: unknown): StoreUnavailableError {
  return new StoreUnavailableError(
    `The database file ${context.location} is missing or cannot be opened (deleted, moved or its directory is gone). ` +
      "Restore it from a backup or restart Switchyard to create a new one.",
    { cause },
  );
}

function mapPostgres(error: unknown, context: StoreErrorContext, messages: ConstraintMessages): Error | undefined {
  const code = errorCode(error);
  if (code === "23505") {
    return new StoreDuplicateError(messages.duplicate?.(collidedOnName(error)) ?? "That name or id is already taken.");
  }
  if (code === "23503") {
    return new StoreNotFoundError(messages.missingReference ?? "The record referred to does not exist.");
  }
  // Serialization failure / deadlock: someone else's write won; the caller may retry.
  if (code === "40001" || code === "40P01") {
    return new StoreConflictError("Another writer changed the same data at the same time; nothing was changed. Retry.");
  }
  const message = error instanceof Error ? error.message : "";
  const unreachable =
    NETWORK_CODES.has(code) ||
    /^(08|53|57P0)/.test(code) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message);
  if (unreachable) {
    return new StoreUnavailableError(
      `Cannot reach PostgreSQL at ${context.location}: ${code || message}. Check that it is running and reachable.`,
      { cause: error },
    );
  }
  if (code.startsWith("28") || code === "3D000" || code === "3F000") {
    // Authentication failures, unknown database or schema: pg's own text names the user/database, never the password.
    return new StoreUnavailableError(`PostgreSQL at ${context.location} refused the store: ${message}`, { cause: error });
  }
  return undefined;
}

/**
 * Maps any error thrown by a store operation to a Store*Error where one fits; other errors (bugs)
 * are returned unchanged so their stack survives.
 */
export function toStoreError(error: unknown, context: StoreErrorContext, messages: ConstraintMessages = {}): unknown {
  if (isStoreError(error)) return error;
  const mapped = context.dialect === "sqlite" ? mapSqlite(error, context, messages) : mapPostgres(error, context, messages);
  return mapped ?? error;
}
