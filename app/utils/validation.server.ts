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

/**
 * A model's refusal that the user can fix, shown next to one field: "a service called X already
 * exists", "that case reference is already in this audit". Models throw it; routes turn it into a
 * 400 with `orInvalid`, so a user's mistake found in the database never becomes a 500.
 */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Runs a model call; a UserInputError becomes the 400 answer, on `field` (or the error's own field), keeping the values. */
export async function orInvalid<T>(values: Record<string, unknown>, run: () => Promise<T>, { field, message }: { field?: string; message?: string } = {}) {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UserInputError) return invalid({ [field ?? e.field ?? "form"]: message ?? e.message }, values);
    throw e;
  }
}
