/**
 * Importing a case list: the column-choice form (which column of the uploaded file holds the
 * case reference, the service, each of the template's case fields…) and the confirm form.
 * zod/mini, built from the file's headings, so the browser and the action check the same rules.
 * The upload step has no schema: a file cannot be checked until the server has read it.
 */
import * as z from "zod/mini";
import { checkboxValues, idChoice } from "./fields";

/** One thing the import needs to find in the file: the case reference, the service, a case field… */
export type ImportTarget = {
  /** The form field's name: "caseRef", "service", "team", "caseType" or "fields.<case field id>". */
  name: string;
  label: string;
  /** The import cannot go ahead without a column for it. */
  required: boolean;
  hint?: string;
};

export type ColumnChoiceContext = {
  targets: ImportTarget[];
  /** The file's column headings, as written in the file. */
  headings: string[];
};

/** The value of "Not in the file" in every column list. */
export const NOT_IN_FILE = "";

export const PSEUDONYMISE_LABEL = "This column holds NHS numbers or other identifiers: make a pseudonymous reference from it";

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** "Select the column that holds the case reference". */
export const selectColumnMessage = (label: string) => `Select the column that holds the ${lowerFirst(label)}`;

function columnChoice(target: ImportTarget, headings: string[]) {
  return z
    .pipe(
      z.optional(z.string()),
      z.transform((v) => v ?? NOT_IN_FILE),
    )
    .check(
      z.refine((v) => v === NOT_IN_FILE || headings.includes(v), "Select a column from the list"),
      z.refine((v) => !target.required || v !== NOT_IN_FILE, selectColumnMessage(target.label)),
    );
}

/**
 * The column choices: { caseRef, service, team, caseType, fields: { <id>: heading }, pseudonymise }.
 * A heading, or "" for "Not in the file".
 */
export function columnChoiceSchema(ctx: ColumnChoiceContext) {
  const top: Record<string, z.ZodMiniType> = {};
  const fields: Record<string, z.ZodMiniType> = {};
  for (const t of ctx.targets) {
    if (t.name.startsWith("fields.")) fields[t.name.slice("fields.".length)] = columnChoice(t, ctx.headings);
    else top[t.name] = columnChoice(t, ctx.headings);
  }
  return z.object({
    ...top,
    fields: z.pipe(
      z.optional(z.object(fields)),
      z.transform((v) => v ?? {}),
    ),
    pseudonymise: z.pipe(
      checkboxValues(),
      z.transform((v) => v.includes("yes")),
    ),
  });
}

export type ColumnChoices = {
  caseRef: string;
  service: string;
  team: string;
  caseType: string;
  fields: Record<string, string>;
  pseudonymise: boolean;
};

/** The choices as URL search parameters: the "change the columns" and rejected-rows links. */
export function choicesToSearch(fileId: number, c: ColumnChoices): string {
  const p = new URLSearchParams({ file: String(fileId), caseRef: c.caseRef, service: c.service, team: c.team, caseType: c.caseType });
  for (const [k, v] of Object.entries(c.fields)) p.set(`fields.${k}`, v);
  if (c.pseudonymise) p.set("pseudonymise", "yes");
  return p.toString();
}

/** The upload waiting for confirmation, as named in the column-choice and confirm forms. */
export const pendingImportId = idChoice("Upload the case list again");
