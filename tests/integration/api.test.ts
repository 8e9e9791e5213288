/**
 * The read-only JSON API (/api/v1) and its tokens (issue 5): tokens created and revoked by
 * administrators, shown once and stored only as a hash; bearer tokens only (never the session
 * cookie); JSON answers for audits, an audit's summary (the same JSON as the CLI) and a
 * template's trends; every request and token use in the audit log, never the token.
 *
 * Fixture: the roll-up template (tests/fixtures/templates/rollup/rollup.yaml), services Alpha and
 * Beta; an open audit with the six hand-computed cases of audit-summary.test.ts (overall 11 / 15),
 * and a completed audit (3 cases in Alpha, every criterion answered) for the trends.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "~/lib/answers";
import { auditSummaryCommand } from "~/cli/audit-summary";
import { completeAudit, createAudit, getAudit } from "~/models/audits.server";
import { addCase, saveAnswers } from "~/models/cases.server";
import { auditSummary } from "~/models/summary.server";
import { parseTemplateSource, syncTemplates } from "~/models/templates.server";
import { setDisabled } from "~/models/users.server";
import * as adminHome from "~/routes/admin._index";
import * as tokensPage from "~/routes/admin.api-tokens";
import * as auditsApi from "~/routes/api.v1.audits";
import * as summaryApi from "~/routes/api.v1.audits.$auditId.summary";
import * as trendsApi from "~/routes/api.v1.templates.$key.trends";
import { requireApiUser } from "~/utils/api.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, userWithSession, useTempDb } from "./helpers";

type U = Awaited<ReturnType<typeof userWithSession>>;
let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: U, auditor: U, reviewer: U, manager: U;
let alpha: number, beta: number;
let openAuditId: number, completeAuditId: number, templateVersionId: number;
const KEY = "rollup-fixture";
const FIGURE_KEYS = ["met", "partial", "notMet", "na", "numerator", "denominator", "percent", "rag", "ciLow", "ciHigh"];
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

type Api = { loader: (args: any) => unknown; action: (args: any) => unknown };

/** Calls an API route the way Remix does: a Request with only the headers given. */
async function api(route: Api, url: string, { token, cookie, params = {}, method = "GET", authorization }: { token?: string; cookie?: string; params?: Record<string, string>; method?: string; authorization?: string } = {}) {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (authorization !== undefined) headers.Authorization = authorization;
  if (cookie) headers.Cookie = cookie;
  const request = new Request(`http://localhost${url}`, { method, headers, body: method === "GET" ? undefined : "x=1" });
  const fn = method === "GET" ? route.loader : route.action;
  let res: unknown;
  try {
    res = await fn({ request, params, context: {} });
  } catch (thrown) {
    res = thrown;
  }
  expect(res).toBeInstanceOf(Response);
  const response = res as Response;
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

async function createToken(userId: number, name: string) {
  const res = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "create", userId: String(userId), name }, { cookie: admin.cookie });
  expect(res.status).toBe(200);
  return res;
}

async function scoredCase(auditId: number, caseRef: string, serviceId: number, answers: Record<string, Answer>) {
  const audit = (await getAudit(db, auditId))!;
  const c = await addCase(db, auditor.user, audit, { caseRef, serviceId, teamId: null, caseType: "CHILD", fields: {} });
  const input = Object.fromEntries(Object.entries(answers).map(([k, answer]) => [k, { answer, note: answer === "met" || answer === "na" ? null : "See the record" }]));
  await saveAnswers(db, auditor.user, c.id, input);
}

async function newAudit(title: string, start: string, end: string) {
  const created = await createAudit(db, auditor.user, { templateVersionId, title, serviceIds: [String(alpha), String(beta)], periodStart: start, periodEnd: end } as never);
  return created.id;
}

/** Renders the tokens page with the given loader data and (after a POST) action data. */
async function renderPage(loaderData: object, actionData?: object) {
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => loaderData, action: () => actionData ?? null, Component: tokensPage.default }]);
  const request = actionData ? new Request("http://localhost/admin/api-tokens", { method: "POST", body: new URLSearchParams({ a: "1" }) }) : new Request("http://localhost/admin/api-tokens");
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

let tokens: { auditor: string; manager: string; reviewer: string };

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  const file = "tests/fixtures/templates/rollup/rollup.yaml";
  const loaded = parseTemplateSource(file, fs.readFileSync(file, "utf8"));
  if ("problems" in loaded) throw new Error(JSON.stringify(loaded.problems));
  expect((await syncTemplates(db, [loaded])).problems).toEqual([]);
  templateVersionId = (await db.selectFrom("template_versions").select("id").where("key", "=", KEY).executeTakeFirstOrThrow()).id;
  const now = nowIso();
  const provider = (await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const service = async (name: string) => (await db.insertInto("services").values({ provider_id: provider, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  alpha = await service("Alpha service");
  beta = await service("Beta service");
  admin = await userWithSession(db, "administrator");
  auditor = await userWithSession(db, "auditor");
  reviewer = await userWithSession(db, "reviewer");
  manager = await userWithSession(db, "manager");

  openAuditId = await newAudit("Roll-up audit Q1", "2026-01-01", "2026-03-31");
  await scoredCase(openAuditId, "A1", alpha, { voice: "met", chronology: "met", plan: "partial" });
  await scoredCase(openAuditId, "A2", alpha, { voice: "met", chronology: "not_met", plan: "met" });
  await scoredCase(openAuditId, "A3", alpha, { voice: "partial", chronology: "met", plan: "na" });
  await scoredCase(openAuditId, "B1", beta, { voice: "not_met", chronology: "met", plan: "met" });
  await scoredCase(openAuditId, "B2", beta, { voice: "met", chronology: "na", plan: "not_met" });
  await scoredCase(openAuditId, "B3", beta, { voice: "met", chronology: "met" });

  completeAuditId = await newAudit("Roll-up audit 2025 Q4", "2025-10-01", "2025-12-31");
  await scoredCase(completeAuditId, "C1", alpha, { voice: "met", chronology: "met", plan: "met" });
  await scoredCase(completeAuditId, "C2", alpha, { voice: "met", chronology: "not_met", plan: "met" });
  await scoredCase(completeAuditId, "C3", alpha, { voice: "not_met", chronology: "met", plan: "na" });
  await completeAudit(db, auditor.user, (await getAudit(db, completeAuditId))!);

  tokens = {
    auditor: (await createToken(auditor.user.id, "Auditor's Excel")).data.created.token,
    manager: (await createToken(manager.user.id, "Board Power BI")).data.created.token,
    reviewer: (await createToken(reviewer.user.id, "Reviewer's sheet")).data.created.token,
  };
});

afterAll(async () => env.cleanup());

describe("the API tokens page", () => {
  it("is for administrators only (403 for every other role, page and form), and linked from Administration", async () => {
    for (const u of [auditor, reviewer, manager]) {
      expect((await callLoader(tokensPage.loader, "/admin/api-tokens", { cookie: u.cookie })).status).toBe(403);
      const post = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "create", userId: String(u.user.id), name: "Mine" }, { cookie: u.cookie });
      expect(post.status).toBe(403);
    }
    const before = await db.selectFrom("api_tokens").select("id").execute();
    expect(before).toHaveLength(3);
    expect((await callLoader(tokensPage.loader, "/admin/api-tokens", { cookie: admin.cookie })).status).toBe(200);
    const home = await callLoader(adminHome.loader, "/admin", { cookie: admin.cookie });
    expect(home.data.links.apiTokens).toBe(true);
  });

  it("shows a new token once, stores only its SHA-256, and logs the creation without it", async () => {
    const res = await createToken(auditor.user.id, "Finance workbook");
    const { token, name, user } = res.data.created;
    expect(token).toMatch(/^sca_[A-Za-z0-9_-]{43}$/);
    expect({ name, user }).toEqual({ name: "Finance workbook", user: auditor.user.name });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const row = await db.selectFrom("api_tokens").selectAll().where("name", "=", "Finance workbook").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: auditor.user.id, created_by: admin.user.id, token_hash: sha256(token), last_used_at: null, revoked_at: null });
    expect(JSON.stringify(await db.selectFrom("api_tokens").selectAll().execute())).not.toContain(token);
    // Never again: the list shows the token's details, not the token or its hash.
    const list = await callLoader(tokensPage.loader, "/admin/api-tokens", { cookie: admin.cookie });
    const listed = JSON.stringify(list.data);
    expect(listed).toContain("Finance workbook");
    expect(listed).not.toContain(token);
    expect(listed).not.toContain(row.token_hash);
    expect(list.data.tokens.find((t: { id: number }) => t.id === row.id)).toMatchObject({ name: "Finance workbook", user: auditor.user.name, lastUsed: null, revoked: null });
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "api-token").where("entity_id", "=", String(row.id)).execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: "create", user_id: admin.user.id });
    expect(JSON.parse(log[0].after!)).toMatchObject({ name: "Finance workbook", userId: auditor.user.id });
    expect(JSON.stringify(await db.selectFrom("audit_log").selectAll().execute())).not.toContain(token);
  });

  it("renders the new token once in a panel with a warning to copy it now, and a revoke button per live token", async () => {
    const created = await createToken(reviewer.user.id, "Rendered");
    const list = await callLoader(tokensPage.loader, "/admin/api-tokens", { cookie: admin.cookie });
    const withToken = await renderPage(list.data, created.data);
    expect(withToken).toContain(created.data.created.token);
    expect(withToken).toMatch(/data-testid="new-token"/);
    expect(withToken).toContain("Copy it now");
    expect(withToken).toContain("the only time the token is shown");
    const plain = await renderPage(list.data);
    expect(plain).not.toContain(created.data.created.token);
    expect(plain).not.toContain("Copy it now");
    const live = list.data.tokens.filter((t: { revoked: string | null }) => !t.revoked).length;
    expect(plain.match(/name="intent" value="revoke"/g)).toHaveLength(live);
    expect(plain).toContain("Rendered");
  });

  it("refuses a missing name or user with GOV.UK messages, and a disabled user, saving nothing", async () => {
    const count = async () => (await db.selectFrom("api_tokens").select("id").execute()).length;
    const n = await count();
    const empty = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "create", userId: "", name: " " }, { cookie: admin.cookie });
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toEqual({ userId: "Select the user the token is for", name: expect.stringMatching(/^Enter a name for the token/) });
    const crafted = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "create", userId: "99999", name: "Ghost" }, { cookie: admin.cookie });
    expect(crafted.status).toBe(400);
    expect(crafted.data.errors).toEqual({ userId: "Select the user the token is for" });
    const gone = await userWithSession(db, "manager");
    await setDisabled(db, admin.user, gone.user.id, true);
    const disabled = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "create", userId: String(gone.user.id), name: "Gone" }, { cookie: admin.cookie });
    expect(disabled.status).toBe(400);
    expect(disabled.data.errors.userId).toMatch(/disabled/);
    expect(await count()).toBe(n);
  });

  it("revokes a token with a button (logged), after which the API refuses it", async () => {
    const token = (await createToken(manager.user.id, "Short-lived")).data.created.token;
    expect((await api(auditsApi, "/api/v1/audits", { token })).status).toBe(200);
    const row = await db.selectFrom("api_tokens").select("id").where("token_hash", "=", sha256(token)).executeTakeFirstOrThrow();
    const res = await callAction(tokensPage.action, "/admin/api-tokens", { intent: "revoke", tokenId: String(row.id) }, { cookie: admin.cookie });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/api-tokens?revoked=${row.id}`);
    expect((await db.selectFrom("api_tokens").select("revoked_at").where("id", "=", row.id).executeTakeFirstOrThrow()).revoked_at).not.toBeNull();
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "api-token").where("action", "=", "revoke").where("entity_id", "=", String(row.id)).execute();
    expect(log).toHaveLength(1);
    expect(log[0].user_id).toBe(admin.user.id);
    const page = await callLoader(tokensPage.loader, `/admin/api-tokens?revoked=${row.id}`, { cookie: admin.cookie });
    expect(page.data.revoked).toBe("Short-lived");
    expect(page.data.tokens.find((t: { id: number }) => t.id === row.id).revoked).not.toBeNull();

    const refused = await api(auditsApi, "/api/v1/audits", { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/revoked/);
    // Revoking needs the CSRF token and the role.
    expect((await callAction(tokensPage.action, "/admin/api-tokens", { intent: "revoke", tokenId: String(row.id) }, { cookie: admin.cookie, csrf: false })).status).toBe(403);
    expect((await callAction(tokensPage.action, "/admin/api-tokens", { intent: "revoke", tokenId: String(row.id) }, { cookie: manager.cookie })).status).toBe(403);
    expect((await callAction(tokensPage.action, "/admin/api-tokens", { intent: "revoke", tokenId: "424242" }, { cookie: admin.cookie })).status).toBe(404);
  });
});

describe("GET /api/v1/audits", () => {
  it("lists every audit as JSON, not cached", async () => {
    const res = await api(auditsApi, "/api/v1/audits", { token: tokens.auditor });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const byId = new Map(res.body.audits.map((a: { id: number }) => [a.id, a]));
    expect(res.body.audits).toHaveLength(2);
    expect(byId.get(openAuditId)).toEqual({
      id: openAuditId,
      title: "Roll-up audit Q1",
      status: "in_progress",
      periodStart: "2026-01-01",
      periodEnd: "2026-03-31",
      completedAt: null,
      template: { key: KEY, version: 1, title: "Roll-up fixture" },
      services: [
        { id: alpha, name: "Alpha service", provider: "Northshire NHS Trust" },
        { id: beta, name: "Beta service", provider: "Northshire NHS Trust" },
      ],
      caseCount: 6,
    });
    expect(byId.get(completeAuditId)).toMatchObject({ status: "complete", caseCount: 3, completedAt: expect.any(String) });
  });
});

describe("GET /api/v1/audits/:id/summary", () => {
  const url = (id: number | string) => `/api/v1/audits/${id}/summary`;

  it("gives exactly the CLI's summary JSON (a manager's token: viewResults)", async () => {
    const res = await api(summaryApi, url(openAuditId), { token: tokens.manager, params: { auditId: String(openAuditId) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const out: string[] = [];
    expect(await auditSummaryCommand([String(openAuditId), "--json"], { out: (l) => out.push(l), err: () => {} })).toBe(0);
    expect(res.body).toEqual(JSON.parse(out.join("\n")));
    expect(res.body).toEqual(JSON.parse(JSON.stringify(await auditSummary(db, (await getAudit(db, openAuditId))!))));
    expect(Object.keys(res.body)).toEqual(["overall", "bySection", "byCriterion", "byService"]);
    expect(Object.keys(res.body.overall)).toEqual(FIGURE_KEYS);
    expect(Object.keys(res.body.bySection[0])).toEqual(["sectionId", ...FIGURE_KEYS]);
    expect(Object.keys(res.body.byCriterion[0])).toEqual(["criterionId", ...FIGURE_KEYS]);
    expect(Object.keys(res.body.byService[0])).toEqual(["serviceName", ...FIGURE_KEYS]);
    // Hand-computed (audit-summary.test.ts): 10 met, 2 partial, 3 not met, 2 n/a → 11 / 15, full precision.
    expect(res.body.overall).toMatchObject({ met: 10, partial: 2, notMet: 3, na: 2, numerator: 11, denominator: 15, percent: (100 * 11) / 15, rag: "red" });
    expect(res.body.byService.map((s: { serviceName: string; numerator: number; denominator: number }) => [s.serviceName, s.numerator, s.denominator])).toEqual([
      ["Alpha service", 6, 8],
      ["Beta service", 5, 7],
    ]);
  });

  it("answers 404 JSON for an unknown or malformed audit id", async () => {
    for (const id of ["424242", "abc", "0", "1.5"]) {
      const res = await api(summaryApi, url(id), { token: tokens.reviewer, params: { auditId: id } });
      expect(res.status).toBe(404);
      expect(res.headers.get("Content-Type")).toBe("application/json");
      expect(res.body.error).toMatch(/There is no audit/);
    }
  });
});

describe("GET /api/v1/templates/:key/trends", () => {
  const url = `/api/v1/templates/${KEY}/trends`;

  it("gives each series' points and SPC result for completed audits only", async () => {
    const res = await api(trendsApi, url, { token: tokens.manager, params: { key: KEY } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.body.template).toMatchObject({ key: KEY, version: 1, title: "Roll-up fixture", green: 90, amber: 75 });
    expect(res.body.service).toBeNull();
    expect(res.body.cycleCount).toBe(1);
    // The completed audit: 6 met, 2 not met, 1 n/a (plan for C3) → 6 / 8 = 75%. The open audit is not a point.
    expect(res.body.overall.points).toEqual([
      {
        auditId: completeAuditId,
        title: "Roll-up audit 2025 Q4",
        periodStart: "2025-10-01",
        periodEnd: "2025-12-31",
        templateVersion: 1,
        percent: 75,
        numerator: 6,
        denominator: 8,
        met: 6,
        partial: 0,
        notMet: 2,
        specialCause: false,
        rules: [],
        side: null,
        variation: "common",
      },
    ]);
    expect(Object.keys(res.body.overall.spc)).toEqual(["mean", "upperLimit", "lowerLimit", "target", "improvement", "variation", "assurance", "tooFewPoints", "warning"]);
    expect(res.body.overall.spc).toMatchObject({ mean: 75, target: 90, improvement: "up", tooFewPoints: true, warning: expect.any(String) });
    expect(res.body.criteria.map((c: { criterionId: string; points: { percent: number }[] }) => [c.criterionId, c.points.map((p) => p.percent)])).toEqual([
      ["voice", [(100 * 2) / 3]],
      ["chronology", [(100 * 2) / 3]],
      ["plan", [100]],
    ]);
  });

  it("filters by service, and answers 400 / 404 JSON for a bad service or an unknown template", async () => {
    const a = await api(trendsApi, `${url}?service=${alpha}`, { token: tokens.manager, params: { key: KEY } });
    expect(a.status).toBe(200);
    expect(a.body.service).toEqual({ id: alpha, name: "Alpha service", provider: "Northshire NHS Trust" });
    expect(a.body.overall.points.map((p: { numerator: number; denominator: number }) => [p.numerator, p.denominator])).toEqual([[6, 8]]);
    const b = await api(trendsApi, `${url}?service=${beta}`, { token: tokens.manager, params: { key: KEY } });
    expect(b.status).toBe(200);
    // Beta is in scope but has no cases in the completed audit: skipped, never plotted as 0%.
    expect(b.body.overall.points).toEqual([]);
    expect(b.body.overall.skipped).toEqual([{ auditId: completeAuditId, title: "Roll-up audit 2025 Q4", periodEnd: "2025-12-31" }]);
    const bad = await api(trendsApi, `${url}?service=abc`, { token: tokens.manager, params: { key: KEY } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/service/);
    const unknown = await api(trendsApi, `${url}?service=424242`, { token: tokens.manager, params: { key: KEY } });
    expect(unknown.status).toBe(404);
    const noTemplate = await api(trendsApi, "/api/v1/templates/no-such/trends", { token: tokens.manager, params: { key: "no-such" } });
    expect(noTemplate.status).toBe(404);
    expect(noTemplate.body).toEqual({ error: "There is no template no-such." });
  });
});

describe("authentication", () => {
  const routes: [string, Api, Record<string, string>][] = [
    ["/api/v1/audits", auditsApi, {}],
    ["/api/v1/audits/1/summary", summaryApi, { auditId: "1" }],
    [`/api/v1/templates/${KEY}/trends`, trendsApi, { key: KEY }],
  ];

  it("answers 401 JSON with WWW-Authenticate: Bearer without a token, with a wrong one, or with a session cookie alone", async () => {
    const wrong = "sca_" + "A".repeat(43);
    for (const [url, route, params] of routes) {
      for (const opts of [{}, { token: wrong }, { token: "not-a-token" }, { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }, { cookie: admin.cookie }, { cookie: manager.cookie }]) {
        const res = await api(route, url, { ...opts, params });
        expect(res.status, `${url} ${JSON.stringify(opts)}`).toBe(401);
        expect(res.headers.get("Content-Type")).toBe("application/json");
        expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
        expect(res.body).toEqual({ error: expect.any(String) });
      }
    }
  });

  it("revokes the tokens of a user who is disabled, for good: enabling the user again does not bring them back", async () => {
    const person = await userWithSession(db, "reviewer");
    const token = (await createToken(person.user.id, "Soon disabled")).data.created.token;
    const other = (await createToken(person.user.id, "Also revoked")).data.created.token;
    expect((await api(auditsApi, "/api/v1/audits", { token })).status).toBe(200);
    await setDisabled(db, admin.user, person.user.id, true);
    const res = await api(auditsApi, "/api/v1/audits", { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/revoked/);
    await setDisabled(db, admin.user, person.user.id, false);
    expect((await api(auditsApi, "/api/v1/audits", { token })).status).toBe(401);
    expect((await api(auditsApi, "/api/v1/audits", { token: other })).status).toBe(401);
    const revokes = await db.selectFrom("audit_log").selectAll().where("action", "=", "revoke").where("entity", "=", "api-token").where("user_id", "=", admin.user.id).execute();
    const mine = revokes.filter((r) => JSON.parse(r.after!).user_id === person.user.id);
    expect(mine).toHaveLength(2);
    expect(JSON.parse(mine[0].after!)).toMatchObject({ reason: "account disabled" });
  });

  it("answers 403 JSON when the token's role lacks the permission", async () => {
    const request = new Request("http://localhost/api/v1/audits", { headers: { Authorization: `Bearer ${tokens.manager}` } });
    const thrown = await requireApiUser(request, "viewCases").catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(403);
    expect(thrown.headers.get("Content-Type")).toBe("application/json");
    expect(await thrown.json()).toEqual({ error: expect.stringMatching(/role/) });
    const ok = await requireApiUser(new Request("http://localhost/api/v1/audits", { headers: { Authorization: `Bearer ${tokens.auditor}` } }), "viewCases");
    expect(ok.user.id).toBe(auditor.user.id);
  });

  it("is read-only: POST (even with a valid token) is 405 JSON", async () => {
    for (const [url, route, params] of routes) {
      for (const method of ["POST", "PUT", "DELETE"]) {
        const res = await api(route, url, { token: tokens.auditor, params, method });
        expect(res.status).toBe(405);
        expect(res.headers.get("Allow")).toBe("GET, HEAD");
        expect(res.headers.get("Content-Type")).toBe("application/json");
        expect(res.body).toEqual({ error: expect.any(String) });
      }
    }
  });
});

describe("the audit log", () => {
  it("records every request with its path, outcome and token (by id), and the token's last use, never the token", async () => {
    const row = await db.selectFrom("api_tokens").select(["id", "last_used_at"]).where("token_hash", "=", sha256(tokens.reviewer)).executeTakeFirstOrThrow();
    const start = (await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("max")).executeTakeFirstOrThrow()).max as number;
    await api(summaryApi, `/api/v1/audits/${openAuditId}/summary`, { token: tokens.reviewer, params: { auditId: String(openAuditId) } });
    await api(summaryApi, "/api/v1/audits/424242/summary?access_token=leak&x=1", { token: tokens.reviewer, params: { auditId: "424242" } });
    await api(auditsApi, "/api/v1/audits", { token: "sca_" + "B".repeat(43) });
    await api(auditsApi, "/api/v1/audits", { cookie: reviewer.cookie });
    await api(auditsApi, "/api/v1/audits", { method: "POST", token: tokens.reviewer });
    const rows = await db.selectFrom("audit_log").selectAll().where("id", ">", start).orderBy("id").execute();
    expect(rows.map((r) => [r.action, r.entity, r.entity_id, r.user_id, JSON.parse(r.after!)])).toEqual([
      ["api", "api", String(row.id), reviewer.user.id, { method: "GET", path: `/api/v1/audits/${openAuditId}/summary`, status: 200, outcome: "ok" }],
      ["api", "api", String(row.id), reviewer.user.id, { method: "GET", path: "/api/v1/audits/424242/summary?x=1", status: 404, outcome: "not-found" }],
      ["api", "api", null, null, { method: "GET", path: "/api/v1/audits", status: 401, outcome: "unauthorised", reason: "invalid" }],
      ["api", "api", null, null, { method: "GET", path: "/api/v1/audits", status: 401, outcome: "unauthorised", reason: "missing" }],
      ["api", "api", null, null, { method: "POST", path: "/api/v1/audits", status: 405, outcome: "method-not-allowed" }],
    ]);
    const used = await db.selectFrom("api_tokens").select("last_used_at").where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    expect(used.last_used_at! >= (row.last_used_at ?? "")).toBe(true);
    const everything = JSON.stringify(await db.selectFrom("audit_log").selectAll().execute());
    for (const t of Object.values(tokens)) {
      expect(everything).not.toContain(t);
      expect(everything).not.toContain(sha256(t));
    }
    expect(everything).not.toContain("leak");
  });
});
