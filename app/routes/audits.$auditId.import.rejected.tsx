/**
 * Download: the rows of an uploaded case list that cannot be imported, as CSV with the file's
 * own columns and a `reason` column. The column choices come in the URL, as the check page
 * made them (?file=<pending import>&caseRef=…). No page: a resource route.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAudit } from "~/models/audits.server";
import {
  choicesToMapping,
  columnChoiceContext,
  mappingProblems,
  openPendingImport,
  rejectedFileName,
  rejectedRowsFor,
  searchToValues,
} from "~/models/case-import.server";
import { columnChoiceSchema, type ColumnChoices } from "~/schemas/case-import";
import { requireUser } from "~/utils/auth.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  const search = new URL(request.url).searchParams;
  const opened = await openPendingImport(db, user, audit, Number(search.get("file")));
  if (!opened.ok) return text(opened.message, 404);
  const { file, table } = opened;
  const parsed = columnChoiceSchema(columnChoiceContext(audit, table)).safeParse(searchToValues(search));
  const mapping = parsed.success ? choicesToMapping(audit, parsed.data as ColumnChoices) : null;
  if (!mapping || Object.keys(mappingProblems(audit, table, mapping)).length > 0) {
    return text("The columns chosen for this file are not complete. Go back to the import page and choose them again.", 400);
  }
  const csv = await rejectedRowsFor(db, audit, table, mapping);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${rejectedFileName(file.name)}"`,
      // The rows may hold identifiers: keep them out of shared caches and the browser's cache.
      "Cache-Control": "no-store",
    },
  });
}
