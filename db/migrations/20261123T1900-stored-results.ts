/**
 * Stored results of complete and closed audits (issue #5, performance): the dashboard, the
 * cross-audit results and the trend pages read these small tallies instead of scoring every
 * stored answer on each request. They are derived data, recomputed from the answers whenever a
 * finished audit's answers or status change (app/models/stored-results.server.ts), and computed
 * on first read for any finished audit that has none (`audits.results_at` null).
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { CreateTableBuilder, Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  // When the stored results of a complete or closed audit were computed; null = none stored.
  await db.schema.alterTable("audits").addColumn("results_at", "text").execute();

  const counts = (t: CreateTableBuilder<any, any>) =>
    t
      .addColumn("met", "integer", (c) => c.notNull())
      .addColumn("partial", "integer", (c) => c.notNull())
      .addColumn("not_met", "integer", (c) => c.notNull())
      .addColumn("na", "integer", (c) => c.notNull())
      .addColumn("unanswered", "integer", (c) => c.notNull())
      // met + partial credit × partial, with the audit's pinned template's partial credit.
      .addColumn("numerator", "real", (c) => c.notNull());

  // One row per audit × service × team × case type: every case × criterion answer of those cases.
  await counts(
    db.schema
      .createTable("result_cells")
      .addColumn("id", "integer", idColumn(db))
      .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
      .addColumn("service_id", "integer", (c) => c.notNull().references("services.id"))
      .addColumn("team_id", "integer", (c) => c.references("teams.id"))
      .addColumn("case_type", "text", (c) => c.notNull()),
  )
    .addColumn("cases", "integer", (c) => c.notNull())
    // Cases with at least one criterion met, partially met or not met.
    .addColumn("applicable_cases", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("result_cells_audit").on("result_cells").column("audit_id").execute();

  // One row per audit × service × case type × criterion.
  await counts(
    db.schema
      .createTable("result_criteria")
      .addColumn("id", "integer", idColumn(db))
      .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
      .addColumn("service_id", "integer", (c) => c.notNull().references("services.id"))
      .addColumn("case_type", "text", (c) => c.notNull())
      .addColumn("criterion_id", "text", (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex("result_criteria_audit").on("result_criteria").columns(["audit_id", "service_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("result_criteria").execute();
  await db.schema.dropTable("result_cells").execute();
  await db.schema.alterTable("audits").dropColumn("results_at").execute();
}
