/** Reading the audit log (writing is app/utils/audit-log.server.ts): newest first, a page at a time. */
import type { Db } from "~/utils/db.server";

export type AuditLogQuery = { page?: number; pageSize?: number; action?: string; entity?: string; userId?: number };

export const AUDIT_LOG_PAGE_SIZE = 50;

/** One page of entries, newest first. A page past the end shows the last page. */
export async function listAuditLog(db: Db, { page = 1, pageSize = AUDIT_LOG_PAGE_SIZE, action, entity, userId }: AuditLogQuery = {}) {
  const size = Number.isInteger(pageSize) && pageSize > 0 ? Math.min(pageSize, 500) : AUDIT_LOG_PAGE_SIZE;
  let base = db.selectFrom("audit_log");
  if (action) base = base.where("action", "=", action);
  if (entity) base = base.where("entity", "=", entity);
  if (userId !== undefined) base = base.where("user_id", "=", userId);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, Number.isInteger(page) ? page : 1), pages);
  const rows = await base
    .select(["id", "at", "user_id", "actor", "action", "entity", "entity_id", "before", "after", "ip"])
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(size)
    .offset((current - 1) * size)
    .execute();
  return { rows, total, page: current, pages, pageSize: size };
}

/** The actions that appear in the log, for the filter. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return rows.map((r) => r.action);
}

