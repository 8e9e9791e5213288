/**
 * Reusable zod/mini field schemas with GOV.UK error wording. zod/mini keeps the browser bundle
 * small (stack.md P12); these run unchanged in the browser and in actions.
 */
import * as z from "zod/mini";
import { compareIso, isoFromParts } from "~/lib/dates";

export const requiredText = (empty: string, { max = 200, label = "This" }: { max?: number; label?: string } = {}) =>
  z.string({ error: empty }).check(z.trim(), z.minLength(1, empty), z.maxLength(max, `${label} must be ${max} characters or less`));

export const optionalText = ({ max = 2000, label = "This" }: { max?: number; label?: string } = {}) =>
  z.optional(z.string().check(z.trim(), z.maxLength(max, `${label} must be ${max} characters or less`)));

export const email = z
  .string({ error: "Enter an email address" })
  .check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1, "Enter an email address"),
    z.maxLength(254, "Email address must be 254 characters or less"),
    z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Enter an email address in the correct format, like name@example.nhs.uk"),
  );

export const newPassword = z
  .string({ error: "Enter a password" })
  .check(
    z.minLength(1, "Enter a password"),
    z.minLength(12, "Password must be 12 characters or more"),
    z.maxLength(128, "Password must be 128 characters or less"),
  );

/** Text that must be one of the given values (radios, selects); "" means nothing chosen. */
export const choice = <T extends string>(values: readonly T[], message: string) =>
  z.string({ error: message }).check(z.refine((v) => (values as readonly string[]).includes(v), message)) as unknown as z.ZodMiniType<T, unknown>;

export const idChoice = (message: string) =>
  z.pipe(
    z.string({ error: message }).check(z.regex(/^[1-9]\d{0,9}$/, message)),
    z.transform((v) => Number(v)),
  );

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** "Date of birth" → "Enter the date of birth"; "Start of the audit period" → "Enter the start of the audit period". */
export const enterMessage = (label: string) => `Enter the ${lowerFirst(label)}`;

export type DateParts = { day?: string; month?: string; year?: string };

export type DateRuleOptions = {
  label: string;
  required?: boolean;
  notFuture?: boolean;
  /** Today's date (Europe/London), passed in so the schema is pure and testable. */
  today?: string;
};

/**
 * A GOV.UK three-box date → ISO `YYYY-MM-DD` (or null when optional and left empty),
 * with the standard messages: "Enter …", "… must include a month", "… must be a real date",
 * "… must be today or in the past".
 */
export function dateField({ label, required = false, notFuture = true, today }: DateRuleOptions) {
  const parts = z.object({ day: z.optional(z.string()), month: z.optional(z.string()), year: z.optional(z.string()) });
  return z.pipe(
    z.optional(parts),
    z.transform((p: DateParts | undefined, ctx) => {
      const day = (p?.day ?? "").trim();
      const month = (p?.month ?? "").trim();
      const year = (p?.year ?? "").trim();
      const fail = (message: string) => {
        ctx.issues.push({ code: "custom", message, input: p });
        return z.NEVER;
      };
      if (!day && !month && !year) return required ? fail(enterMessage(label)) : null;
      const missing = [!day && "a day", !month && "a month", !year && "a year"].filter(Boolean) as string[];
      if (missing.length) return fail(`${label} must include ${missing.join(" and ").replace(" and a", missing.length === 3 ? ", a" : " and a")}`);
      if (!/^\d{4}$/.test(year)) return fail(`${label} must include a year with 4 numbers, like 2025`);
      const iso = isoFromParts(day, month, year);
      if (!iso) return fail(`${label} must be a real date`);
      if (Number(year) < 1900) return fail(`${label} must be in 1900 or later`);
      if (Number(year) > 2099) return fail(`${label} must be before 2100`);
      if (notFuture && today && compareIso(iso, today) > 0) return fail(`${label} must be today or in the past`);
      return iso;
    }),
  );
}

/** ISO date → the three boxes, for showing a stored date in a form. */
export function isoToParts(iso: string | null | undefined): DateParts {
  if (!iso) return {};
  const [year, month, day] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * A checkbox group: react-hook-form gives an array for several boxes but a string (or false)
 * for a single one, and a posted form gives whatever was ticked. All become an array.
 */
export const checkboxValues = (...checks: Parameters<ReturnType<typeof z.array<z.ZodMiniString>>["check"]>) =>
  z.pipe(
    z.pipe(
      z.optional(z.union([z.array(z.string()), z.string(), z.boolean(), z.null()])),
      z.transform((v) => (Array.isArray(v) ? v : typeof v === "string" && v ? [v] : [])),
    ),
    z.array(z.string()).check(...checks),
  );
