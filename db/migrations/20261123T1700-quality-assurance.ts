/**
 * Quality assurance and follow-through (issue #6): designated doctor IHA reviews, blind
 * moderation with agreed answers, action plans (with reasons for no action), closing an
 * audit, and re-audits linked to the audit they repeat.
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);

  // A designated doctor's quality judgement of one IHA (a case of a lac-iha audit).
  await db.schema
    .createTable("iha_reviews")
    .addColumn("id", "integer", id)
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    // outstanding | good | requires_improvement | inadequate
    .addColumn("judgement", "text", (c) => c.notNull())
    .addColumn("rationale", "text", (c) => c.notNull())
    .addColumn("feedback", "text")
    // paediatrician | gp | other: the assessing clinician's group, for the summary.
    .addColumn("clinician_group", "text", (c) => c.notNull())
    .addColumn("reviewed_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("reviewed_at", "text", (c) => c.notNull())
    .addUniqueConstraint("iha_reviews_case_unique", ["case_id"])
    .execute();
  // A reviewer's change of an auditor's answer, with the reason (kept beside the answer).
  await db.schema.alterTable("answers").addColumn("changed_reason", "text").execute();

  // Blind moderation: the cases chosen for a second, independent scoring.
  await db.schema
    .createTable("moderation_cases")
    .addColumn("id", "integer", id)
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("moderator_id", "integer", (c) => c.references("users.id"))
    // The seed when drawn at random (null when chosen by hand).
    .addColumn("seed", "text")
    .addColumn("selected_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("selected_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addUniqueConstraint("moderation_cases_case_unique", ["case_id"])
    .execute();
  await db.schema
    .createTable("moderation_answers")
    .addColumn("id", "integer", id)
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("answered_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("answered_at", "text", (c) => c.notNull())
    .addUniqueConstraint("moderation_answers_case_criterion_unique", ["case_id", "criterion_id"])
    .execute();
  // The settled answer where the two scorings disagreed: results use it; both originals are kept.
  await db.schema
    .createTable("agreed_answers")
    .addColumn("id", "integer", id)
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("settled_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("settled_at", "text", (c) => c.notNull())
    .addUniqueConstraint("agreed_answers_case_criterion_unique", ["case_id", "criterion_id"])
    .execute();

  // Action plans.
  await db.schema
    .createTable("actions")
    .addColumn("id", "integer", id)
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("criterion_id", "text")
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("owner_user_id", "integer", (c) => c.references("users.id"))
    // A named role when no single person owns it, e.g. "Named nurse for LAC".
    .addColumn("owner_role", "text")
    .addColumn("due_date", "text", (c) => c.notNull())
    // open | in_progress | done (overdue is worked out from due_date)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("evidence", "text")
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .execute();
  await db.schema.createIndex("actions_audit_id_index").on("actions").column("audit_id").execute();
  await db.schema
    .createTable("action_services")
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("service_id", "integer", (c) => c.notNull().references("services.id"))
    .addPrimaryKeyConstraint("action_services_pk", ["action_id", "service_id"])
    .execute();
  // A recorded reason why a red criterion has no action (needed before an audit can be closed).
  await db.schema
    .createTable("no_action_reasons")
    .addColumn("id", "integer", id)
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("recorded_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addUniqueConstraint("no_action_reasons_unique", ["audit_id", "criterion_id"])
    .execute();

  // Closing (after complete) and re-audits.
  await db.schema.alterTable("audits").addColumn("closed_at", "text").execute();
  await db.schema.alterTable("audits").addColumn("reaudit_of", "integer", (c) => c.references("audits.id")).execute();
  // When a re-audit is due (default 12 months after the audit it repeats).
  await db.schema.alterTable("audits").addColumn("reaudit_due", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ["reaudit_due", "reaudit_of", "closed_at"]) await db.schema.alterTable("audits").dropColumn(c).execute();
  for (const t of ["no_action_reasons", "action_services", "actions", "agreed_answers", "moderation_answers", "moderation_cases", "iha_reviews"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable("answers").dropColumn("changed_reason").execute();
}
