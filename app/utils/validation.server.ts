import { data } from "@remix-run/node";
import { formDataToObject, issuesToErrors, type FieldErrors } from "~/lib/form-data";

type SafeParser<T> = { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } };

export type Invalid = { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/** Checks a posted form against the same zod schema the browser used. */
export function parseForm<T>(schema: SafeParser<T>, form: FormData, options?: { arrays?: string[] }): { ok: true; data: T; values: Record<string, unknown> } | Invalid {
  const values = formDataToObject(form, options);
  delete values.csrf;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: issuesToErrors(result.error.issues), values };
}

/** The 400 answer for a user's mistake: errors per field, and what they typed so nothing is lost. */
export function invalid(errors: FieldErrors, values: Record<string, unknown>) {
  delete values.password;
  delete values.confirmPassword;
  return data({ errors, values }, { status: 400 });
}
