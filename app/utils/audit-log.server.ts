/**
 * The audit log: who did what, when, with before and after. Never passwords, tokens or identifiers.
 */
import type { Db } from "./db.server";
import { nowIso } from "./time.server";

export type Actor = { id: number; email: string } | null;

export type LogEvent = {
  actor: Actor;
  /** What was typed, for failed sign-ins where there is no user. */
  actorLabel?: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  request?: Request;
};

const SECRET_KEYS = /password|token|secret|hash/i;

function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (k, v) => (k && SECRET_KEYS.test(k) ? "[removed]" : v));
}

export async function logEvent(db: Db, e: LogEvent): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: nowIso(),
      user_id: e.actor?.id ?? null,
      actor: e.actor?.email ?? e.actorLabel?.slice(0, 200) ?? null,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      before: snapshot(e.before),
      after: snapshot(e.after),
      // Set by our own server from the socket address; any client-sent value is overwritten there.
      ip: e.request?.headers.get("x-audit-client-ip") ?? null,
    })
    .execute();
}

/** A view is logged at most once per user and case in this many minutes (a save reloads the page). */
export const CASE_VIEW_WINDOW_MINUTES = 15;

/**
 * Logs a user's view of a case record (domain rule 45: every view of case-level data, with the
 * record's pseudonym). Pages reload after every save, so one view per user, case and
 * `CASE_VIEW_WINDOW_MINUTES` is enough to say who looked at what and when.
 */
export async function logCaseView(
  db: Db,
  user: { id: number; email: string },
  c: { id: number; caseRef: string; auditId: number },
  page: string,
  request?: Request,
): Promise<void> {
  const since = new Date(Date.now() - CASE_VIEW_WINDOW_MINUTES * 60_000).toISOString();
  const recent = await db
    .selectFrom("audit_log")
    .select("id")
    .where("at", ">=", since)
    .where("user_id", "=", user.id)
    .where("action", "=", "view")
    .where("entity", "=", "case")
    .where("entity_id", "=", String(c.id))
    .executeTakeFirst();
  if (recent) return;
  await logEvent(db, { actor: user, action: "view", entity: "case", entityId: c.id, after: { caseRef: c.caseRef, auditId: c.auditId, page }, request });
}

/** Logs a refused request (domain rule 45: failed access), with the page and the reason. */
export async function logAccessDenied(db: Db, user: { id: number; email: string; role: string }, request: Request, reason: string): Promise<void> {
  const url = new URL(request.url);
  await logEvent(db, { actor: user, action: "access-denied", entity: "page", entityId: url.pathname, after: { method: request.method, role: user.role, reason }, request });
}
