/**
 * Integration test helpers: a real temporary SQLite file per test file, users with sessions,
 * and calling route loaders/actions the way Remix does (with the CSRF cookie and field).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../db/schema";
import { closeDb, getDb, type Db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { createSession, SESSION_COOKIE } from "~/utils/session.server";
import { CSRF_COOKIE } from "~/utils/csrf.server";
import { nowIso } from "~/utils/time.server";

export const CSRF = "test-csrf-token-0123456789";

/** Points DATABASE_URL at a fresh temporary file and returns the migrated database. */
export async function useTempDb(): Promise<{ db: Db; dir: string; cleanup: () => Promise<void> }> {
  await closeDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sca-test-"));
  process.env.DATABASE_URL = path.join(dir, "test.db");
  const db = await getDb();
  return {
    db,
    dir,
    cleanup: async () => {
      await closeDb();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A user of the given role with a live session; `cookie` is ready for requests. */
export async function userWithSession(db: Db, role: Role, overrides: { email?: string; name?: string; password?: string } = {}) {
  counter += 1;
  const now = nowIso();
  const user = await db
    .insertInto("users")
    .values({
      email: overrides.email ?? `${role}${counter}@example.nhs.uk`,
      name: overrides.name ?? `Test ${role} ${counter}`,
      role,
      password_hash: await hashPassword(overrides.password ?? "correct horse battery"),
      disabled_at: null,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning(["id", "email", "name", "role"])
    .executeTakeFirstOrThrow();
  const token = await createSession(db, user.id);
  return { user, cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${CSRF}` };
}

export const anonymousCookie = `${CSRF_COOKIE}=${CSRF}`;

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

export type RouteResult = { status: number; data: any; headers: Headers; location: string | null };

/** Normalises what a loader/action returned or threw: Response, data(), or a plain object. */
async function settle(run: () => unknown): Promise<RouteResult> {
  let out: unknown;
  try {
    out = await run();
  } catch (thrown) {
    out = thrown;
    if (!(thrown instanceof Response) && !(thrown && typeof thrown === "object" && "type" in thrown)) throw thrown;
  }
  if (out instanceof Response) {
    const text = await out.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* plain text */
    }
    return { status: out.status, data: body, headers: out.headers, location: out.headers.get("Location") };
  }
  if (out && typeof out === "object" && (out as { type?: string }).type === "DataWithResponseInit") {
    const d = out as { data: unknown; init?: { status?: number; headers?: HeadersInit } };
    return { status: d.init?.status ?? 200, data: d.data, headers: new Headers(d.init?.headers), location: null };
  }
  return { status: 200, data: out, headers: new Headers(), location: null };
}

export function callLoader(loader: RouteFn, url: string, { cookie, params = {} }: { cookie?: string; params?: Record<string, string> } = {}) {
  const request = new Request(`http://localhost${url}`, { headers: cookie ? { Cookie: cookie } : {} });
  return settle(() => loader({ request, params, context: {} }));
}

/** Posts a form to an action, adding the CSRF field unless `csrf: false`. */
export function callAction(
  action: RouteFn,
  url: string,
  fields: Record<string, string | string[]>,
  { cookie, params = {}, csrf = true }: { cookie?: string; params?: Record<string, string>; csrf?: boolean | string } = {},
) {
  const body = new URLSearchParams();
  if (csrf) body.append("csrf", typeof csrf === "string" ? csrf : CSRF);
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const request = new Request(`http://localhost${url}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
  return settle(() => action({ request, params, context: {} }));
}
