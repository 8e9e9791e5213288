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
