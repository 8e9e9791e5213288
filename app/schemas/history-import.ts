/**
 * Importing historical results on the page (issue #5, app/routes/admin.import-results.tsx):
 * the form's fields other than the file. zod/mini, built from the template versions on offer,
 * so the browser and the action check the same rules. The file has no schema: it cannot be
 * checked until the server has read it (as on the case-list upload).
 */
import * as z from "zod/mini";
import { compareIso } from "~/lib/dates";
import { checkboxValues, choice, dateField, optionalText, requiredText } from "./fields";

export const CREATE_MISSING_LABEL = "Create services and teams that are not in the app yet";
export const PROVIDER_MESSAGE = "Enter the provider for the new services and teams";

export type HistoryImportContext = {
  /** Today (Europe/London): only finished periods can be imported. */
  today: string;
  /** The template versions on offer, as "<key>@<version>". */
  templates: string[];
};

export function historyImportSchema({ today, templates }: HistoryImportContext) {
  return z
    .object({
      template: choice(templates, "Select the template version the audit used"),
      title: requiredText("Enter a title for the audit", { max: 150, label: "Title" }),
      periodStart: dateField({ label: "Start of the audit period", required: true, today }),
      periodEnd: dateField({ label: "End of the audit period", required: true, today }),
      createMissing: z.pipe(
        checkboxValues(),
        z.transform((v) => v.includes("yes")),
      ),
      provider: optionalText({ max: 150, label: "Provider name" }),
    })
    .check(
      z.refine((v) => !v.periodStart || !v.periodEnd || compareIso(v.periodEnd, v.periodStart) >= 0, {
        message: "End of the audit period must be the same as or after the start",
        path: ["periodEnd"],
      }),
      z.refine((v) => !v.createMissing || Boolean(v.provider), { message: PROVIDER_MESSAGE, path: ["provider"] }),
    );
}

export type HistoryImportInput = z.infer<ReturnType<typeof historyImportSchema>>;
