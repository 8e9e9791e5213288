/**
 * Sign-in security (issue #11): the attempts that sign-in throttling counts, per email address
 * and client address (operational data, kept for a day; the audit log keeps the record of every
 * sign-in), and on each session how many unsuccessful attempts to tell its user about once.
 * Also revokes the API tokens of users disabled before this version, which from now on happens
 * when a user is disabled (so enabling them again can never bring an old token back).
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sign_in_attempts")
    .addColumn("id", "integer", idColumn(db))
    // As typed (lower-cased), whether or not an account has it.
    .addColumn("email", "text", (c) => c.notNull())
    // The client address as the server saw it; "" when unknown.
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    // pending (password being checked), failed or succeeded.
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sign_in_attempts_email_ip_at").on("sign_in_attempts").columns(["email", "ip", "at"]).execute();
  await db.schema.createIndex("sign_in_attempts_ip_at").on("sign_in_attempts").columns(["ip", "at"]).execute();
  await db.schema.createIndex("sign_in_attempts_at").on("sign_in_attempts").column("at").execute();

  // Unsuccessful attempts on the account between its previous sign-in and this session's; shown once.
  await db.schema
    .alterTable("sessions")
    .addColumn("unsuccessful_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  const now = new Date().toISOString();
  const live = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id", "api_tokens.name", "api_tokens.user_id"])
    .where("api_tokens.revoked_at", "is", null)
    .where("users.disabled_at", "is not", null)
    .execute();
  for (const t of live) {
    await db.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", t.id).execute();
    await db
      .insertInto("audit_log")
      .values({
        at: now,
        user_id: null,
        actor: null,
        action: "revoke",
        entity: "api-token",
        entity_id: String(t.id),
        before: JSON.stringify({ ...t, revoked_at: null }),
        after: JSON.stringify({ ...t, revoked_at: now, reason: "account disabled (revoked on upgrade)" }),
        ip: null,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("unsuccessful_attempts").execute();
  await db.schema.dropTable("sign_in_attempts").execute();
}
