/**
 * Download: the actions across all audits, with the same filters as the action plans page, as
 * CSV (?format=csv) or an Excel workbook (?format=xlsx). No page: a resource route.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseActionFilters } from "~/lib/actions";
import { todayInLondon } from "~/lib/dates";
import { actionsCsv, actionsXlsx, listActions } from "~/models/actions.server";
import { requireUser } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewResults");
  const search = new URL(request.url).searchParams;
  const format = search.get("format");
  if (format !== "csv" && format !== "xlsx") {
    return new Response("Choose a download format: CSV or Excel (XLSX).", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const today = todayInLondon();
  const rows = await listActions(db, parseActionFilters(search), today);
  const name = `actions-${today}.${format}`;
  const headers = { "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" };
  if (format === "csv") return new Response(actionsCsv(rows), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  const bytes = await actionsXlsx(rows);
  return new Response(bytes, { headers: { ...headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } });
}
