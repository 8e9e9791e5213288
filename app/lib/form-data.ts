/**
 * Turning posted forms into objects for zod, and zod errors into `{ "field.path": "message" }`.
 * Pure and isomorphic: the same helpers serve the browser (react-hook-form) and the server (actions).
 */

export type FieldErrors = Record<string, string>;

/** `a.b.c=1` → `{ a: { b: { c: "1" } } }`. Repeated names (checkboxes) become arrays. */
export function formDataToObject(form: FormData, { arrays = [] as string[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of form.entries()) {
    if (typeof raw !== "string") continue;
    const keys = name.split(".");
    let target = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      if (typeof target[k] !== "object" || target[k] === null || Array.isArray(target[k])) target[k] = {};
      target = target[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (arrays.includes(name)) {
      target[last] = [...((target[last] as string[] | undefined) ?? []), raw];
    } else if (last in target) {
      const prev = target[last];
      target[last] = Array.isArray(prev) ? [...prev, raw] : [prev, raw];
    } else {
      target[last] = raw;
    }
  }
  for (const name of arrays) {
    const keys = name.split(".");
    let target = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      if (typeof target[k] !== "object" || target[k] === null) target[k] = {};
      target = target[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (!(last in target)) target[last] = [];
  }
  return out;
}

type Issue = { path: readonly PropertyKey[]; message: string };

/** First message per field path, in the order the schema reported them (field order). */
export function issuesToErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "form";
    if (!(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

/** react-hook-form's nested error tree → flat `{ path: message }`. */
export function flattenRhfErrors(tree: unknown, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  if (!tree || typeof tree !== "object") return out;
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    if (k === "ref" || k === "type" || k === "types") continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && "message" in v && typeof (v as { message: unknown }).message === "string") {
      out[path] = (v as { message: string }).message;
    } else if (v && typeof v === "object") {
      Object.assign(out, flattenRhfErrors(v, path));
    }
  }
  return out;
}

/** The id of the control an error links to: dots are not allowed in URL fragments we target. */
export function fieldId(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "-");
}
