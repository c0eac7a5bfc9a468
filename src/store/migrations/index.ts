/**
 * @module store/migrations
 * Every schema migration, in order, handed to Kysely's Migrator from code rather than by scanning a
 * folder, so the same list works from src/ under vitest and from dist/ when installed.
 */
import type { Migration, MigrationProvider } from "kysely";
import { initialMigration } from "./0001-initial.js";
import { gatewayKeysMigration } from "./0002-gateway-keys.js";

/**
 * Migrations by name. Names start with a zero-padded schema version and sort in order; Kysely runs
 * them in name order. Never edit or rename a released entry: add a new one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_initial": initialMigration,
  "0002_gateway_keys": gatewayKeysMigration,
};

/** The schema version a migration name stands for (its leading number), or undefined. */
export function schemaVersionOf(migrationName: string): number | undefined {
  const match = /^(\d+)/.exec(migrationName);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = Math.max(
  ...Object.keys(MIGRATIONS).map((name) => schemaVersionOf(name) ?? 0),
);

/** The static provider for Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
