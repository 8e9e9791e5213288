/**
 * Template library: local settings (non-statutory timescales), the settings an audit pins,
 * measures recorded with answers, and the reason an auditor overrode an automatic answer.
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // The setting values in force when the audit was created (JSON object), so a later change
  // of a local rule never changes an existing audit's scores. Null: every default.
  await db.schema.alterTable("audits").addColumn("settings", "text").execute();

  // A measure recorded with the answer (JSON: { choice } | { number } | { numerator, denominator }).
  await db.schema.alterTable("answers").addColumn("detail", "text").execute();
  // Why the auditor answered a criterion the app had answered "not applicable" from the case's data.
  await db.schema.alterTable("answers").addColumn("override_reason", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("answers").dropColumn("override_reason").execute();
  await db.schema.alterTable("answers").dropColumn("detail").execute();
  await db.schema.alterTable("audits").dropColumn("settings").execute();
  await db.schema.dropTable("settings").execute();
}
