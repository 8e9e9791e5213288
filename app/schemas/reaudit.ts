/**
 * Scheduling a re-audit: its due date (a GOV.UK date input), shared by the browser and the
 * action so both give the same messages.
 */
import * as z from "zod/mini";
import { compareIso, formatDate } from "~/lib/dates";
import { dateField } from "./fields";

export const REAUDIT_INTENTS = ["schedule", "create"] as const;
export type ReauditIntent = (typeof REAUDIT_INTENTS)[number];

/** `completedOn`: the date the original audit was completed; the re-audit must be due after it. */
export function reauditSchema(completedOn: string) {
  return z
    .object({ due: dateField({ label: "Re-audit due date", required: true, notFuture: false }) })
    .check(
      z.refine((v) => !v.due || compareIso(v.due, completedOn) > 0, {
        message: `Re-audit due date must be after the audit was completed (${formatDate(completedOn)})`,
        path: ["due"],
      }),
    );
}

export type ReauditInput = z.infer<ReturnType<typeof reauditSchema>>;
