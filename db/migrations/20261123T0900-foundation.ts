/**
 * Foundation schema: accounts, sessions, organisation, templates, audits, cases, answers, audit log.
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", id)
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .addColumn("last_sign_in_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("users_email_unique", ["email"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_id_index").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("providers")
    .addColumn("id", "integer", id)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("providers_name_unique", ["name"])
    .execute();

  await db.schema
    .createTable("services")
    .addColumn("id", "integer", id)
    .addColumn("provider_id", "integer", (c) => c.notNull().references("providers.id").onDelete("restrict"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("services_provider_name_unique", ["provider_id", "name"])
    .execute();

  await db.schema
    .createTable("teams")
    .addColumn("id", "integer", id)
    .addColumn("service_id", "integer", (c) => c.notNull().references("services.id").onDelete("restrict"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("teams_service_name_unique", ["service_id", "name"])
    .execute();

  await db.schema
    .createTable("template_versions")
    .addColumn("id", "integer", id)
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("source_file", "text", (c) => c.notNull())
    .addColumn("loaded_at", "text", (c) => c.notNull())
    .addUniqueConstraint("template_versions_key_version_unique", ["key", "version"])
    .execute();

  await db.schema
    .createTable("audits")
    .addColumn("id", "integer", id)
    .addColumn("template_version_id", "integer", (c) => c.notNull().references("template_versions.id").onDelete("restrict"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("period_start", "text", (c) => c.notNull())
    .addColumn("period_end", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id").onDelete("restrict"))
    .addColumn("completed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_services")
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("service_id", "integer", (c) => c.notNull().references("services.id").onDelete("restrict"))
    .addPrimaryKeyConstraint("audit_services_pk", ["audit_id", "service_id"])
    .execute();

  await db.schema
    .createTable("cases")
    .addColumn("id", "integer", id)
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audits.id").onDelete("cascade"))
    .addColumn("case_ref", "text", (c) => c.notNull())
    .addColumn("service_id", "integer", (c) => c.notNull().references("services.id").onDelete("restrict"))
    .addColumn("team_id", "integer", (c) => c.references("teams.id").onDelete("restrict"))
    .addColumn("case_type", "text", (c) => c.notNull())
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id").onDelete("restrict"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("cases_audit_ref_unique", ["audit_id", "case_ref"])
    .execute();
  await db.schema.createIndex("cases_service_id_index").on("cases").column("service_id").execute();

  await db.schema
    .createTable("answers")
    .addColumn("id", "integer", id)
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("answered_by", "integer", (c) => c.notNull().references("users.id").onDelete("restrict"))
    .addColumn("answered_at", "text", (c) => c.notNull())
    .addUniqueConstraint("answers_case_criterion_unique", ["case_id", "criterion_id"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", id)
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("actor", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("before", "text")
    .addColumn("after", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("audit_log_at_index").on("audit_log").column("at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["audit_log", "answers", "cases", "audit_services", "audits", "template_versions", "teams", "services", "providers", "sessions", "users"]) {
    await db.schema.dropTable(t).execute();
  }
}
