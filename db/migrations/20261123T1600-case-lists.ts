/**
 * Case lists and samples: an audit's population (imported case lists), the sample drawn from
 * it, manual changes after the draw, auditor assignment, remembered column mappings, and
 * uploads waiting for the user to confirm the preview.
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  // Every case so far was added by hand to be scored: in the sample.
  await db.schema.alterTable("cases").addColumn("in_sample", "integer", (c) => c.notNull().defaultTo(1)).execute();
  // "manual" (added on the page), "import" (from a case list).
  await db.schema.alterTable("cases").addColumn("origin", "text", (c) => c.notNull().defaultTo("manual")).execute();
  // Why a case was added to the sample by hand after the draw.
  await db.schema.alterTable("cases").addColumn("sample_reason", "text").execute();
  await db.schema.alterTable("cases").addColumn("excluded_reason", "text").execute();
  await db.schema.alterTable("cases").addColumn("excluded_at", "text").execute();
  await db.schema.alterTable("cases").addColumn("excluded_by", "integer", (c) => c.references("users.id")).execute();
  await db.schema.alterTable("cases").addColumn("assigned_to", "integer", (c) => c.references("users.id")).execute();
  await db.schema.createIndex("cases_assigned_to_index").on("cases").column("assigned_to").execute();

  await db.schema
    .createTable("samples")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("seed", "text", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    // JSON: how the sample was drawn (simple or stratified, by what, number or percentage, minimum per stratum).
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("population_size", "integer", (c) => c.notNull())
    .addColumn("sample_size", "integer", (c) => c.notNull())
    .addColumn("drawn_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("drawn_at", "text", (c) => c.notNull())
    .addUniqueConstraint("samples_audit_unique", ["audit_id"])
    .execute();

  await db.schema
    .createTable("column_mappings")
    .addColumn("template_key", "text", (c) => c.primaryKey())
    // JSON: { caseRef, service, team, caseType, fields: { <case field id>: <column heading> } }.
    .addColumn("mapping", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("pending_imports")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull())
    // The uploaded file, base64: kept only until the import is confirmed or abandoned (deleted after a day).
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_imports").execute();
  await db.schema.dropTable("column_mappings").execute();
  await db.schema.dropTable("samples").execute();
  await db.schema.dropIndex("cases_assigned_to_index").execute();
  for (const c of ["assigned_to", "excluded_by", "excluded_at", "excluded_reason", "sample_reason", "origin", "in_sample"]) {
    await db.schema.alterTable("cases").dropColumn(c).execute();
  }
}
