/// <reference types="vite/client" />
/**
 * "The server never answers 500 to a user's mistake": every route's loader and action, called
 * by an administrator (who may reach them all) with ids that do not exist or are not numbers,
 * nonsense query parameters and nonsense form fields, answers with a status below 500 and never
 * throws an error. The routes are found from app/routes, so a new route is covered at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "~/models/demo-data.server";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

type RouteModule = { loader?: (...args: never[]) => unknown; action?: (...args: never[]) => unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let cookie = "";

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  const admin = await userWithSession(db, "administrator");
  cookie = admin.cookie;
  await generateDemoData(db, admin.user, { seed: "bad-input", today: "2026-05-14" });
}, 120_000);
afterAll(async () => env.cleanup());

/** "audits.$auditId.cases.$caseId._index.tsx" → ["auditId", "caseId"] and the URL with `value` for each. */
function routeOf(file: string) {
  const name = file.split("/").pop()!.replace(/\.tsx?$/, "");
  const segments = name.split(".").filter((s) => s !== "_index" && !s.startsWith("_"));
  const params = segments.filter((s) => s.startsWith("$")).map((s) => s.slice(1));
  const url = (value: string) => "/" + segments.map((s) => (s.startsWith("$") ? encodeURIComponent(value) : s.replace(/\[|\]/g, ""))).join("/");
  return { name, params, url };
}

const BAD_IDS = ["abc", "0", "-1", "999999", "1.5", "1e3", " ", "%00"];
const QUERY = "?format=zzz&group=zzz&template=%00&service=abc&page=-1&done=zzz&file=abc&from-day=99&from-month=13&from-year=1&caseType=zzz&status=zzz&owner=abc&overdue=maybe";
const FORM = { intent: "zzz", id: "abc", caseId: "abc", criterionId: "nosuch", answer: "maybe", status: "zzz", date: "99/99/9999", name: "", title: "" };

const routes = Object.entries(modules)
  .map(([file, mod]) => ({ file, mod, ...routeOf(file) }))
  .filter((r) => r.mod.loader || r.mod.action);
/** Signing out would end the session the other routes are called with. */
const SKIP_ACTION = new Set(["sign-out"]);
/** Pages for the signed-out: they send a signed-in user on, which is not a sign of a lost session. */
const SIGNED_OUT_PAGES = new Set(["sign-in", "setup", "sign-out"]);

/** Below 500, and (for a signed-in administrator) never sent to sign in: the session must still hold. */
function expectHandled(r: { name: string }, res: { status: number; location: string | null }, what: string) {
  expect(res.status, what).toBeLessThan(500);
  if (!SIGNED_OUT_PAGES.has(r.name)) expect(res.location ?? "", `${what} sent the administrator to sign in`).not.toMatch(/^\/sign-in/);
}

describe("no 500 for a mistake", () => {
  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  for (const r of routes) {
    if (r.mod.loader) {
      it(`loader of ${r.name} with bad ids and parameters`, async () => {
        for (const bad of r.params.length ? BAD_IDS : [""]) {
          const params = Object.fromEntries(r.params.map((p) => [p, bad]));
          const res = await callLoader(r.mod.loader as never, r.url(bad) + QUERY, { cookie, params });
          expectHandled(r, res, `${r.url(bad)}${QUERY}`);
        }
      });
    }
    if (r.mod.action && !SKIP_ACTION.has(r.name)) {
      it(`action of ${r.name} with bad ids and fields`, async () => {
        for (const bad of r.params.length ? BAD_IDS : [""]) {
          const params = Object.fromEntries(r.params.map((p) => [p, bad]));
          const res = await callAction(r.mod.action as never, r.url(bad), FORM, { cookie, params });
          expectHandled(r, res, `POST ${r.url(bad)}`);
        }
      });
    }
  }
});
