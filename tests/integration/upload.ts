/**
 * Posting a file to an action as a browser does (multipart/form-data, the CSRF field first),
 * normalised like helpers.ts's callAction.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { callLoader, CSRF } from "./helpers";

type RouteFn = Parameters<typeof callLoader>[0];

/** A fixture from tests/fixtures/case-lists as { name, bytes }. */
export function caseListFixture(name: string) {
  return { name, bytes: new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/case-lists/${name}`, import.meta.url)))) };
}

/** Posts `file` (field "file") and `fields` as multipart/form-data, adding the CSRF field unless `csrf: false`. */
export function callUpload(
  action: RouteFn,
  url: string,
  file: { name: string; bytes: Uint8Array; type?: string } | null,
  { cookie, params = {}, csrf = true, fields = {} }: { cookie?: string; params?: Record<string, string>; csrf?: boolean | string; fields?: Record<string, string> } = {},
) {
  const form = new FormData();
  if (csrf) form.append("csrf", typeof csrf === "string" ? csrf : CSRF);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  // What a browser sends when no file is chosen: an empty part with an empty file name.
  form.append("file", file ? new File([Buffer.from(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }) : new File([], "", { type: "application/octet-stream" }));
  const request = new Request(`http://localhost${url}`, { method: "POST", body: form, headers: cookie ? { Cookie: cookie } : {} });
  // callLoader normalises whatever the route returns or throws; the request is ours.
  return callLoader((args) => action({ ...args, request }), url, { cookie, params });
}
