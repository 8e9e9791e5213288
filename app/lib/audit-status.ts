/** Audit status rules, in one place: which statuses allow changes. */
import type { AuditStatus } from "../../db/schema";

export const AUDIT_STATUS_LABELS: Record<AuditStatus, string> = { draft: "Draft", in_progress: "In progress", complete: "Complete", closed: "Closed" };

/** Draft and in-progress audits can be changed; complete and closed ones are read-only until reopened. */
export function isAuditOpen(status: AuditStatus): boolean {
  return status === "draft" || status === "in_progress";
}
