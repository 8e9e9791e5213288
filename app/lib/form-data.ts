/**
 * Turning posted forms into objects for zod, and zod errors into `{ "field.path": "message" }`.
 * Pure and isomorphic: the same helpers serve the browser (react-hook-form) and the server (actions).
 */

export type FieldErrors = Record<string, string>;

/** Path segments that would reach an object's prototype: a field named with one is refused. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** A plain record with no prototype, so no key can ever reach Object.prototype. */
const record = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The path of a field name, or null when any segment is empty or could reach a prototype. */
function fieldPath(name: string): string[] | null {
  const keys = name.split(".");
  return keys.some((k) => k === "" || FORBIDDEN_SEGMENTS.has(k)) ? null : keys;
}

/** The nested record at `keys` (all but the last), made as needed. */
function containerAt(out: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  let target = out;
  for (const k of keys) {
    const next = has(target, k) ? target[k] : undefined;
    if (typeof next !== "object" || next === null || Array.isArray(next)) target[k] = record();
    target = target[k] as Record<string, unknown>;
  }
  return target;
}

/**
 * `a.b.c=1` → `{ a: { b: { c: "1" } } }`. Repeated names (checkboxes) become arrays.
 * Every byte of a posted form is hostile: the objects have no prototype, and a field whose name
 * has a `__proto__`, `constructor` or `prototype` segment (or an empty one) is dropped, so a
 * post can never change the objects of later requests.
 */
export function formDataToObject(form: FormData, { arrays = [] as string[] } = {}): Record<string, unknown> {
  const out = record();
  for (const [name, raw] of form.entries()) {
    if (typeof raw !== "string") continue;
    const keys = fieldPath(name);
    if (!keys) continue;
    const target = containerAt(out, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    if (arrays.includes(name)) {
      const prev = has(target, last) && Array.isArray(target[last]) ? (target[last] as string[]) : [];
      target[last] = [...prev, raw];
    } else if (has(target, last)) {
      const prev = target[last];
      target[last] = Array.isArray(prev) ? [...prev, raw] : [prev, raw];
    } else {
      target[last] = raw;
    }
  }
  for (const name of arrays) {
    const keys = fieldPath(name);
    if (!keys) continue;
    const target = containerAt(out, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    if (!has(target, last)) target[last] = [];
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
