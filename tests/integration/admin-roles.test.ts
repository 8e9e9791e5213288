/**
 * Role matrix for the administration pages: every loader and action, for every role and for
 * someone who is not signed in. Only administrators get in; the server checks before anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import * as adminHome from "~/routes/admin._index";
import * as auditLog from "~/routes/admin.audit-log";
import * as organisation from "~/routes/admin.organisation._index";
import * as providerPage from "~/routes/admin.providers.$providerId";
import * as servicePage from "~/routes/admin.services.$serviceId";
import * as userPage from "~/routes/admin.users.$userId";
import * as usersList from "~/routes/admin.users._index";
import * as newUser from "~/routes/admin.users.new";
import * as settingsList from "~/routes/admin.settings._index";
import * as settingPage from "~/routes/admin.settings.$settingId";
import { createProvider, createService } from "~/models/organisation.server";
import type { Db } from "~/utils/db.server";
import { anonymousCookie, callAction, callLoader, useTempDb, userWithSession, type RouteResult } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
const cookies = {} as Record<Role, string>;
let providerId: number;
let serviceId: number;
let targetUserId: number;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  for (const role of ["administrator", "auditor", "reviewer", "manager"] as const) cookies[role] = (await userWithSession(db, role)).cookie;
  targetUserId = (await userWithSession(db, "auditor")).user.id;
  providerId = (await createProvider(db, null, { name: "Matrix Trust" })).id;
  serviceId = (await createService(db, null, providerId, { name: "Matrix service" }))!.id;
});
afterAll(async () => env.cleanup());

type Fn = Parameters<typeof callLoader>[0];
let n = 0;
const unique = () => `${Date.now()}-${(n += 1)}`;

/** Each route: its URL and params, and for actions a valid post that succeeds for an administrator. */
const routes: { name: string; url: () => string; params: () => Record<string, string>; loader: Fn; action?: Fn; fields?: () => Record<string, string> }[] = [
  { name: "admin home", url: () => "/admin", params: () => ({}), loader: adminHome.loader },
  { name: "users list", url: () => "/admin/users", params: () => ({}), loader: usersList.loader },
  {
    name: "add a user",
    url: () => "/admin/users/new",
    params: () => ({}),
    loader: newUser.loader,
    action: newUser.action,
    fields: () => ({ name: "Matrix Person", email: `matrix-${unique()}@nhs.net`, role: "manager", password: "a long enough password", confirmPassword: "a long enough password" }),
  },
  {
    name: "user page",
    url: () => `/admin/users/${targetUserId}`,
    params: () => ({ userId: String(targetUserId) }),
    loader: userPage.loader,
    action: userPage.action,
    fields: () => ({ intent: "role", role: "reviewer" }),
  },
  { name: "organisation", url: () => "/admin/organisation", params: () => ({}), loader: organisation.loader, action: organisation.action, fields: () => ({ name: `Provider ${unique()}` }) },
  {
    name: "provider page",
    url: () => `/admin/providers/${providerId}`,
    params: () => ({ providerId: String(providerId) }),
    loader: providerPage.loader,
    action: providerPage.action,
    fields: () => ({ intent: "add-service", name: `Service ${unique()}` }),
  },
  {
    name: "service page",
    url: () => `/admin/services/${serviceId}`,
    params: () => ({ serviceId: String(serviceId) }),
    loader: servicePage.loader,
    action: servicePage.action,
    fields: () => ({ intent: "add-team", name: `Team ${unique()}` }),
  },
  { name: "audit log", url: () => "/admin/audit-log?action=create", params: () => ({}), loader: auditLog.loader },
  { name: "local rules", url: () => "/admin/settings", params: () => ({}), loader: settingsList.loader },
  {
    name: "change a local rule",
    url: () => "/admin/settings/iha-request-working-days",
    params: () => ({ settingId: "iha-request-working-days" }),
    loader: settingPage.loader,
    action: settingPage.action,
    fields: () => ({ value: String(3 + (n++ % 5)) }),
  },
];

const FORBIDDEN: Role[] = ["auditor", "reviewer", "manager"];

/** Everything a post could change; the log of refused requests is counted apart (`refusals`). */
const writes = async () => {
  const count = async (t: "users" | "providers" | "services" | "teams") => (await db.selectFrom(t).select("id").execute()).length;
  const settings = JSON.stringify(await db.selectFrom("settings").selectAll().orderBy("key").execute());
  const logged = (await db.selectFrom("audit_log").select("id").where("action", "!=", "access-denied").execute()).length;
  return [await count("users"), await count("providers"), await count("services"), await count("teams"), logged, settings].join(",");
};
const refusals = async () => (await db.selectFrom("audit_log").select("id").where("action", "=", "access-denied").execute()).length;

const isRedirectToSignIn = (res: RouteResult, url: string) => {
  expect(res.status).toBe(302);
  expect(res.location).toBe(`/sign-in?redirectTo=${encodeURIComponent(url)}`);
};

describe.each(routes)("$name", (route) => {
  it("lets an administrator in", async () => {
    const res = await callLoader(route.loader, route.url(), { cookie: cookies.administrator, params: route.params() });
    expect(res.status).toBe(200);
  });

  it.each(FORBIDDEN)("answers 403 to a signed-in %s", async (role) => {
    const res = await callLoader(route.loader, route.url(), { cookie: cookies[role], params: route.params() });
    expect(res.status).toBe(403);
  });

  it("sends someone who is not signed in to sign in, and back here afterwards", async () => {
    isRedirectToSignIn(await callLoader(route.loader, route.url(), { cookie: anonymousCookie, params: route.params() }), route.url());
    isRedirectToSignIn(await callLoader(route.loader, route.url(), { params: route.params() }), route.url());
  });

  if (route.action) {
    const action = route.action;
    const fields = route.fields!;

    it("lets an administrator post (redirect after success)", async () => {
      const res = await callAction(action, route.url(), fields(), { cookie: cookies.administrator, params: route.params() });
      expect(res.status).toBe(302);
      expect(res.location).not.toMatch(/^\/sign-in/);
    });

    it.each(FORBIDDEN)("refuses a post from a %s with 403, changing nothing (the refusal is logged)", async (role) => {
      const before = await writes();
      const refusedBefore = await refusals();
      const res = await callAction(action, route.url(), fields(), { cookie: cookies[role], params: route.params() });
      expect(res.status).toBe(403);
      expect(await writes()).toBe(before);
      expect(await refusals()).toBe(refusedBefore + 1);
    });

    it("sends a post from someone not signed in to sign in, changing nothing", async () => {
      const before = await writes();
      isRedirectToSignIn(await callAction(action, route.url(), fields(), { cookie: anonymousCookie, params: route.params() }), route.url());
      expect(await writes()).toBe(before);
    });
  }
});
