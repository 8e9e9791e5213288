/**
 * A case record as an auditor enters it: a pseudonymous reference (never a name or NHS number),
 * service, team, case type and the template's own case fields. Built from the template, so the
 * browser and the action check exactly the same rules.
 */
import * as z from "zod/mini";
import { compareIso } from "~/lib/dates";
import { containsNhsNumber } from "~/lib/nhs-number";
import type { CaseField } from "./template-types";
import { choice, dateField, enterMessage, idChoice } from "./fields";

export const CASE_REF_HINT = "Use your service's pseudonymous reference, for example LAC-2025-014. Do not enter a name or NHS number.";

export const caseRef = z
  .string({ error: "Enter the case reference" })
  .check(
    z.trim(),
    z.toUpperCase(),
    z.minLength(1, "Enter the case reference"),
    z.maxLength(40, "Case reference must be 40 characters or less"),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, "Case reference must only include letters, numbers, hyphens, slashes, dots and underscores, with no spaces"),
    z.regex(/\d/, "Case reference must include at least one number. Do not enter a child's name"),
    z.refine((v) => !containsNhsNumber(v), "Case reference must not be an NHS number. Enter your service's pseudonymous reference instead"),
  );

export type CaseFormContext = {
  caseFields: CaseField[];
  caseTypes: string[];
  services: { id: number; name: string }[];
  teams: { id: number; name: string; serviceId: number }[];
  today: string;
};

function caseFieldSchema(f: CaseField, today: string) {
  switch (f.type) {
    case "date":
      return dateField({ label: f.label, required: f.required, notFuture: f.notFuture, today });
    case "choice": {
      const values = f.options.map((o) => o.value);
      const message = `Select ${f.label.charAt(0).toLowerCase()}${f.label.slice(1)}`;
      return f.required
        ? choice(values, message)
        : z.pipe(z.nullish(z.string()), z.transform((v) => v || null)).check(z.refine((v) => v === null || values.includes(v), message));
    }
    case "yes_no": {
      const message = `Select yes if ${f.label.charAt(0).toLowerCase()}${f.label.slice(1)}, or no`;
      return f.required ? choice(["yes", "no"], message) : z.pipe(z.nullish(z.string()), z.transform((v) => v || null)).check(z.refine((v) => v === null || v === "yes" || v === "no", message));
    }
  }
}

export function caseSchema(ctx: CaseFormContext) {
  const fieldShape: Record<string, z.ZodMiniType> = {};
  for (const f of ctx.caseFields) fieldShape[f.id] = caseFieldSchema(f, ctx.today);
  const serviceIds = ctx.services.map((s) => s.id);
  return z
    .object({
      caseRef,
      serviceId: idChoice("Select the service"),
      teamId: z.pipe(
        z.nullish(z.string()),
        z.transform((v) => (v ? Number(v) : null)),
      ),
      caseType: choice(ctx.caseTypes, "Select the case type"),
      fields: z.object(fieldShape),
    })
    .check(
      z.superRefine((v, issue) => {
        if (!serviceIds.includes(v.serviceId)) {
          issue.issues.push({ code: "custom", message: "Select a service that is in scope for this audit", path: ["serviceId"], input: v.serviceId });
        }
        if (v.teamId !== null && !ctx.teams.some((t) => t.id === v.teamId && t.serviceId === v.serviceId)) {
          issue.issues.push({ code: "custom", message: "Select a team that belongs to the chosen service", path: ["teamId"], input: v.teamId });
        }
        const fields = v.fields as Record<string, string | null>;
        for (const f of ctx.caseFields) {
          if (f.type !== "date" || !f.notBefore) continue;
          const here = fields[f.id];
          const other = fields[f.notBefore];
          if (here && other && compareIso(here, other) < 0) {
            const otherLabel = ctx.caseFields.find((o) => o.id === f.notBefore)?.label ?? f.notBefore;
            issue.issues.push({
              code: "custom",
              message: `${f.label} must be the same as or after the ${otherLabel.charAt(0).toLowerCase()}${otherLabel.slice(1)}`,
              path: ["fields", f.id],
              input: here,
            });
          }
        }
      }),
    );
}

export type CaseInput = {
  caseRef: string;
  serviceId: number;
  teamId: number | null;
  caseType: string;
  fields: Record<string, string | null>;
};

export { enterMessage };
