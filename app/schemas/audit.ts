import * as z from "zod/mini";
import { compareIso } from "~/lib/dates";
import { checkboxValues, dateField, idChoice, requiredText } from "./fields";

/** Creating an audit. `today` makes "period cannot start in the future" testable. */
export function newAuditSchema(today: string) {
  return z
    .object({
      templateVersionId: idChoice("Select the template to audit against"),
      title: requiredText("Enter a title for the audit", { max: 150, label: "Title" }),
      serviceIds: checkboxValues(
        z.minLength(1, "Select at least one service in scope"),
        z.refine((ids) => ids.every((v) => /^[1-9]\d{0,9}$/.test(v)), "Select services from the list"),
      ),
      periodStart: dateField({ label: "Start of the audit period", required: true, today }),
      periodEnd: dateField({ label: "End of the audit period", required: true, notFuture: false }),
    })
    .check(
      z.refine((v) => !v.periodStart || !v.periodEnd || compareIso(v.periodEnd, v.periodStart) >= 0, {
        message: "End of the audit period must be the same as or after the start",
        path: ["periodEnd"],
      }),
    );
}

export type NewAuditInput = z.infer<ReturnType<typeof newAuditSchema>>;
