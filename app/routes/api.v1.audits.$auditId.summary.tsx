/**
 * GET /api/v1/audits/:auditId/summary: the audit's roll-up, the same JSON as
 * `npm run cli -- audit-summary <id> --json` ({ overall, bySection, byCriterion, byService }). Token with viewResults.
 */
import { getAudit } from "~/models/audits.server";
import { auditSummary } from "~/models/summary.server";
import { apiError, apiLoader, apiMethodNotAllowed, idParam } from "~/utils/api.server";

export const loader = apiLoader("viewResults", async ({ db }, { params }) => {
  const audit = await getAudit(db, idParam(params.auditId, "audit"));
  if (!audit) throw apiError(404, `There is no audit ${params.auditId}.`);
  return auditSummary(db, audit);
});

export const action = apiMethodNotAllowed;
