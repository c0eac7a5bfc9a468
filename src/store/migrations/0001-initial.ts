/**
 * @module store/migrations/0001-initial
 * The first schema: credentials, models, defaults, meta and the revision counter. Written with
 * Kysely's schema builder only, so the same statements run on SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from "kysely";
import { sql } from "../kysely-runtime.js";

/*
 * Portable column choices:
 * - JSON lives in `text`: SQLite has no json type, and we only ever read it whole.
 * - Times are ISO 8601 `text`: they round-trip exactly on both and sort correctly as strings.
 * - Prices are `double precision`: PostgreSQL's `real` is 4 bytes and would round $0.15 to 0.150000006.
 * - `ifNotExists` everywhere: SQLite has no transactional migration in Kysely, so a start-up killed
 *   half-way must be able to run the same migration again.
 */

/** Creates every table of schema version 1. */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("credentials")
      .ifNotExists()
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("kind", "text", (column) => column.notNull())
      .addColumn("base_url", "text")
      .addColumn("api_key_envelope", "text")
      .addColumn("service_urls", "text", (column) => column.notNull().defaultTo("{}"))
      .addColumn("service_keys_envelope", "text")
      .addColumn("headers_envelope", "text")
      .addColumn("provider_fields", "text", (column) => column.notNull().defaultTo("{}"))
      .addColumn("enabled", "boolean", (column) => column.notNull().defaultTo(true))
      .addColumn("priority", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("last_test", "text")
      .addColumn("version", "integer", (column) => column.notNull().defaultTo(1))
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      .addUniqueConstraint("credentials_name_unique", ["name"])
      .execute();

    await db.schema
      .createTable("models")
      .ifNotExists()
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("credential_id", "text", (column) =>
        column.notNull().references("credentials.id").onDelete("cascade"),
      )
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("upstream_model", "text", (column) => column.notNull())
      .addColumn("display_name", "text")
      .addColumn("type", "text", (column) => column.notNull())
      .addColumn("context_window", "integer")
      .addColumn("capabilities", "text", (column) => column.notNull().defaultTo("[]"))
      .addColumn("input_price_per_million", "double precision")
      .addColumn("output_price_per_million", "double precision")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      // Also serves as the index the cascade from credentials uses (credential_id is its prefix).
      .addUniqueConstraint("models_credential_name_unique", ["credential_id", "name"])
      .execute();

    await db.schema
      .createTable("defaults")
      .ifNotExists()
      .addColumn("type", "text", (column) => column.primaryKey())
      // A default naming a deleted model would route to nothing, so the row goes with the model.
      .addColumn("model_id", "text", (column) => column.notNull().references("models.id").onDelete("cascade"))
      .execute();

    await db.schema
      .createTable("meta")
      .ifNotExists()
      .addColumn("key", "text", (column) => column.primaryKey())
      .addColumn("value", "text", (column) => column.notNull())
      .execute();

    await db.schema
      .createTable("store_revision")
      .ifNotExists()
      .addColumn("id", "integer", (column) => column.primaryKey())
      .addColumn("value", "bigint", (column) => column.notNull())
      .execute();
    // Plain SQL because the migration must not depend on today's row types.
    const existing = await sql<{ count: number | string }>`select count(*) as count from store_revision`.execute(db);
    if (Number(existing.rows[0]?.count ?? 0) === 0) {
      await sql`insert into store_revision (id, value) values (1, 0)`.execute(db);
    }
  },
};
