/**
 * @module store/kysely-runtime
 * Kysely's runtime values, loaded from its CommonJS build. The ESM build is 279 modules and costs
 * ~21 MB of resident memory against ~13 MB for the CommonJS one (measured on Node 20; ESM module
 * records are heavier), and every serving process loads the store. Types still come from "kysely".
 */
import { createRequire } from "node:module";
import type * as KyselyModule from "kysely";

const kysely = createRequire(import.meta.url)("kysely") as typeof KyselyModule;

/** Kysely's values; import types from "kysely" itself. */
export const { Kysely: KyselyClass, SqliteDialect, PostgresDialect, Migrator, sql } = kysely;
