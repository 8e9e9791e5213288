/**
 * Download: one audit's answers as CSV (?format=csv) or its results as an Excel workbook
 * (?format=xlsx). No page: a resource route.
 *
 * Permissions: the CSV is one row per case × criterion with case details and notes, so it needs
 * `viewCases` (administrator, auditor, reviewer); a manager (viewResults only) gets 403 for it.
 * A manager's workbook has the Summary, By service and By criterion sheets only: no "Raw
 * answers" sheet and so no notes or case details; nor a reviewer's, while cases of the audit
 * await their blind second scoring (moderation). Each download is logged on the audit.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { can } from "~/lib/permissions";
import { exportAudit } from "~/models/audit-export.server";
import { requireAudit } from "~/models/audits.server";
import { auditAwaitingBlindScoring } from "~/models/moderation.server";
import { requireUser } from "~/utils/auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const format = new URL(request.url).searchParams.get("format");
  if (format !== "csv" && format !== "xlsx") {
    return new Response("Choose a download format: CSV or Excel (XLSX).", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const audit = await requireAudit(db, params.auditId);
  // A reviewer must not see first answers while cases of this audit await their blind second scoring.
  const blind = user.role === "reviewer" && (await auditAwaitingBlindScoring(db, audit.id));
  const caseLevel = can(user.role, "viewCases") && !blind;
  if (format === "csv" && !caseLevel) {
    throw new Response(
      blind
        ? "Cases of this audit are waiting for your blind second scoring, so its case-level answers cannot be downloaded yet. Finish the moderation first, or download the results (Excel)."
        : "You do not have permission to download case-level answers. Download the results (Excel) instead.",
      { status: 403, statusText: "Forbidden" },
    );
  }
  const file = await exportAudit(db, { id: user.id, email: user.email }, audit, { format, caseLevel }, request);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
