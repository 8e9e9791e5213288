/**
 * Template library: local settings (non-statutory timescales), the settings an audit pins,
 * measures recorded with answers, the reason an auditor overrode an automatic answer, and
 * notes on date-rule criteria (an answer row whose answer is null: the rule answers).
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

async function createAnswers(db: Kysely<any>, table: string, constraint: string, answerNotNull: boolean) {
  await db.schema
    .createTable(table)
    .addColumn("id", "integer", idColumn(db))
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => (answerNotNull ? c.notNull() : c))
    .addColumn("note", "text")
    .addColumn("answered_by", "integer", (c) => c.notNull().references("users.id").onDelete("restrict"))
    .addColumn("answered_at", "text", (c) => c.notNull())
    // A measure recorded with the answer (JSON: { choice } | { number } | { numerator, denominator }).
    .addColumn("detail", "text")
    // Why the auditor answered a criterion the app had answered "not applicable" from the case's data.
    .addColumn("override_reason", "text")
    .addUniqueConstraint(constraint, ["case_id", "criterion_id"])
    .execute();
}

const COLUMNS = ["id", "case_id", "criterion_id", "answer", "note", "answered_by", "answered_at"] as const;

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

  // Answers: `answer` becomes nullable (a note on a date-rule criterion has no auditor answer),
  // plus the measure and override columns. Rebuilt, as SQLite cannot drop NOT NULL in place.
  await createAnswers(db, "answers_next", "answers_case_criterion_key", false);
  await db
    .insertInto("answers_next")
    .columns([...COLUMNS])
    .expression(db.selectFrom("answers").select([...COLUMNS]))
    .execute();
  await db.schema.dropTable("answers").execute();
  await db.schema.alterTable("answers_next").renameTo("answers").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await createAnswers(db, "answers_prev", "answers_case_criterion_unique", true);
  await db
    .insertInto("answers_prev")
    .columns([...COLUMNS])
    .expression(db.selectFrom("answers").select([...COLUMNS]).where("answer", "is not", null))
    .execute();
  await db.schema.dropTable("answers").execute();
  await db.schema.alterTable("answers_prev").renameTo("answers").execute();
  await db.schema.alterTable("audits").dropColumn("settings").execute();
  await db.schema.dropTable("settings").execute();
}
