/**
 * Forms for drawing an audit's sample, changing it by hand after the draw (with a reason),
 * assigning sampled cases to auditors, and completing or reopening an audit. Shared by the
 * browser (react-hook-form) and the actions, so both give the same GOV.UK-style messages.
 */
import * as z from "zod/mini";
import { caseRef, caseSchema, type CaseFormContext } from "./case";
import { checkboxValues, choice, requiredText } from "./fields";

export const REASON_MAX = 500;

const reason = (empty: string) => requiredText(empty, { max: REASON_MAX, label: "Reason" });

/** A case added on the "Add a case" page once the sample has been drawn: why it is added by hand. */
export const sampleReasonSchema = z.object({
  sampleReason: reason("Enter why this case is being added to the sample after it was drawn"),
});

/** The case form plus the reason, for adding a case after the draw. */
export function caseWithReasonSchema(ctx: CaseFormContext) {
  return z.intersection(caseSchema(ctx), sampleReasonSchema);
}

/** "Add to sample": a case from the audit's case list (population), by reference, with a reason. */
export const addToSampleSchema = z.object({
  caseRef,
  reason: reason("Enter why this case is being added to the sample"),
});

export const excludeCaseSchema = z.object({
  reason: reason("Enter why this case is being excluded, for example the record cannot be found"),
});

export const reopenAuditSchema = z.object({
  reason: reason("Enter why the audit is being reopened"),
});

// ---- Drawing the sample -------------------------------------------------------------------

export const SAMPLE_METHODS = ["simple", "stratified"] as const;
export const STRATIFY_BY = ["service", "team"] as const;
export const ALLOCATIONS = ["proportional", "fixed"] as const;
export const SIZE_BY = ["number", "percent"] as const;

/** A draw, as the model takes it. Fields that do not apply to the chosen method are null. */
export type DrawInput = {
  seed: string;
  method: (typeof SAMPLE_METHODS)[number];
  stratifyBy: (typeof STRATIFY_BY)[number] | null;
  allocation: (typeof ALLOCATIONS)[number] | null;
  sizeBy: (typeof SIZE_BY)[number] | null;
  size: number | null;
  percent: number | null;
  perStratum: number | null;
  minPerStratum: number;
};

const MAX_CASES = 100_000;

const text = z.optional(z.nullable(z.string()));

/**
 * Which fields are needed depends on the method, so every field is optional text and the
 * checks run together; each problem is reported on its own field.
 */
export const drawSampleSchema = z.pipe(
  z.object({
    method: text,
    stratifyBy: text,
    allocation: text,
    sizeBy: text,
    size: text,
    percent: text,
    perStratum: text,
    minPerStratum: text,
    seed: text,
  }),
  z.transform((v, ctx): DrawInput => {
    const fail = (path: string, message: string) => ctx.issues.push({ code: "custom", message, path: [path], input: v[path as keyof typeof v] });
    const trimmed = (k: keyof typeof v) => (v[k] ?? "").trim();
    const whole = (k: keyof typeof v, { empty, label, min }: { empty?: string; label: string; min: number }): number | null => {
      const s = trimmed(k).replace(/,/g, "");
      if (!s) {
        if (empty) fail(k, empty);
        return null;
      }
      if (!/^\d+$/.test(s)) {
        fail(k, `${label} must be a whole number, like ${min === 0 ? 2 : 50}`);
        return null;
      }
      const n = Number(s);
      if (n < min) {
        fail(k, `${label} must be ${min} or more`);
        return null;
      }
      if (n > MAX_CASES) {
        fail(k, `${label} must be ${MAX_CASES.toLocaleString("en-GB")} or fewer`);
        return null;
      }
      return n;
    };

    const method = trimmed("method");
    if (!(SAMPLE_METHODS as readonly string[]).includes(method)) fail("method", "Select how the cases should be chosen");
    const stratified = method === "stratified";

    let stratifyBy: DrawInput["stratifyBy"] = null;
    let allocation: DrawInput["allocation"] = null;
    let perStratum: number | null = null;
    let minPerStratum = 0;
    if (stratified) {
      const by = trimmed("stratifyBy");
      if ((STRATIFY_BY as readonly string[]).includes(by)) stratifyBy = by as DrawInput["stratifyBy"];
      else fail("stratifyBy", "Select whether to stratify by service or by team");
      const alloc = trimmed("allocation");
      if ((ALLOCATIONS as readonly string[]).includes(alloc)) allocation = alloc as DrawInput["allocation"];
      else fail("allocation", "Select how the sample is shared between services or teams");
      if (allocation === "fixed") {
        perStratum = whole("perStratum", { empty: "Enter the number of cases to draw from each service or team", label: "Number from each service or team", min: 1 });
      }
      minPerStratum = whole("minPerStratum", { label: "Minimum from each service or team", min: 0 }) ?? 0;
    }

    let sizeBy: DrawInput["sizeBy"] = null;
    let size: number | null = null;
    let percent: number | null = null;
    if (!stratified || allocation === "proportional") {
      const by = trimmed("sizeBy");
      if ((SIZE_BY as readonly string[]).includes(by)) sizeBy = by as DrawInput["sizeBy"];
      else if (method) fail("sizeBy", "Select whether to give a number of cases or a percentage");
      if (sizeBy === "number") size = whole("size", { empty: "Enter the number of cases to sample", label: "Number of cases", min: 1 });
      if (sizeBy === "percent") {
        const s = trimmed("percent").replace(/%$/, "").trim();
        if (!s) fail("percent", "Enter the percentage of cases to sample");
        else if (!/^\d+(\.\d+)?$/.test(s)) fail("percent", "Percentage must be a number, like 10");
        else if (Number(s) <= 0 || Number(s) > 100) fail("percent", "Percentage must be more than 0 and no more than 100");
        else percent = Number(s);
      }
    }

    const seed = trimmed("seed").toUpperCase();
    if (!seed) fail("seed", "Enter a seed");
    else if (seed.length > 64) fail("seed", "Seed must be 64 characters or less");
    else if (!/^[A-Z0-9-]+$/.test(seed)) fail("seed", "Seed must only include letters, numbers and hyphens");

    return { seed, method: (stratified ? "stratified" : "simple") as DrawInput["method"], stratifyBy, allocation, sizeBy, size, percent, perStratum, minPerStratum };
  }),
);

export type DrawFormValues = z.input<typeof drawSampleSchema>;

/** A recorded draw's settings as the draw form's values (what `drawSampleSchema` reads back), with `seed`. */
export function drawFormValuesFor(m: Omit<DrawInput, "seed">, seed: string): Record<keyof DrawInput, string> {
  const n = (x: number | null) => (x === null ? "" : String(x));
  return {
    method: m.method,
    stratifyBy: m.stratifyBy ?? "service",
    allocation: m.allocation ?? "proportional",
    sizeBy: m.sizeBy ?? "number",
    size: n(m.size),
    percent: n(m.percent),
    perStratum: n(m.perStratum),
    minPerStratum: m.minPerStratum ? String(m.minPerStratum) : "",
    seed,
  };
}

// ---- The sample-size helper (a GET form: ?confidence=0.95&margin=5) ----------------------

export const CONFIDENCE_OPTIONS = [
  { value: "0.8", label: "80%" },
  { value: "0.9", label: "90%" },
  { value: "0.95", label: "95%" },
] as const;

export const sampleSizeHelperSchema = z.object({
  confidence: choice(["0.8", "0.9", "0.95"], "Select a confidence level"),
  margin: z.pipe(
    z.string({ error: "Enter the margin of error" }).check(
      z.trim(),
      z.minLength(1, "Enter the margin of error"),
      z.regex(/^\d+(\.\d+)?%?$/, "Margin of error must be a number, like 5"),
      z.refine((s) => Number(s.replace(/%$/, "")) >= 1 && Number(s.replace(/%$/, "")) <= 20, "Margin of error must be between 1 and 20 percentage points"),
    ),
    z.transform((s) => Number(s.replace(/%$/, ""))),
  ),
});

// ---- Assigning cases -----------------------------------------------------------------------

export const ASSIGN_SCOPES = ["unassigned", "all"] as const;

export const assignEvenlySchema = z.object({
  userIds: checkboxValues(
    z.minLength(1, "Select at least one auditor"),
    z.refine((ids) => ids.every((v) => /^[1-9]\d{0,9}$/.test(v)), "Select auditors from the list"),
  ),
  scope: choice(ASSIGN_SCOPES, "Select which cases to share out"),
});

/** `assign.c<caseId>` = a user id, or "" for nobody. ("c" keeps react-hook-form from making an array.) */
export const assignByHandSchema = z.object({
  assign: z.pipe(
    z.optional(z.record(z.string(), z.optional(z.string()))),
    z.transform((m, ctx) => {
      const out: Record<number, number | null> = {};
      for (const [key, value] of Object.entries(m ?? {})) {
        const caseId = /^c([1-9]\d{0,9})$/.exec(key);
        const v = (value ?? "").trim();
        if (!caseId || !/^(|[1-9]\d{0,9})$/.test(v)) {
          ctx.issues.push({ code: "custom", message: "Select an auditor from the list", path: [key], input: value });
          continue;
        }
        out[Number(caseId[1])] = v ? Number(v) : null;
      }
      return out;
    }),
  ),
});

export type AssignEvenlyInput = z.infer<typeof assignEvenlySchema>;
