import * as z from "zod/mini";
import { compareIso } from "~/lib/dates";
import { checkboxValues, dateField, idChoice, requiredText } from "./fields";

const detailsShape = (today: string) => ({
  title: requiredText("Enter a title for the audit", { max: 150, label: "Title" }),
  serviceIds: checkboxValues(
    z.minLength(1, "Select at least one service in scope"),
    z.refine((ids) => ids.every((v) => /^[1-9]\d{0,9}$/.test(v)), "Select services from the list"),
  ),
  periodStart: dateField({ label: "Start of the audit period", required: true, today }),
  periodEnd: dateField({ label: "End of the audit period", required: true, notFuture: false }),
});

const periodInOrder = z.refine<{ periodStart: string | null; periodEnd: string | null }>(
  (v) => !v.periodStart || !v.periodEnd || compareIso(v.periodEnd, v.periodStart) >= 0,
  { message: "End of the audit period must be the same as or after the start", path: ["periodEnd"] },
);

/** Creating an audit. `today` makes "period cannot start in the future" testable. */
export function newAuditSchema(today: string) {
  return z.object({ templateVersionId: idChoice("Select the template to audit against"), ...detailsShape(today) }).check(periodInOrder);
}

/** Changing an audit's title, scope or period (its template version never changes). */
export function auditDetailsSchema(today: string) {
  return z.object(detailsShape(today)).check(periodInOrder);
}

export type NewAuditInput = z.infer<ReturnType<typeof newAuditSchema>>;
export type AuditDetailsInput = z.infer<ReturnType<typeof auditDetailsSchema>>;
