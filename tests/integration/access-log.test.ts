/**
 * Domain rule 45: every view of a case record is in the audit log (user, time, the record's
 * pseudonym), once per user and case in a 15-minute window so that saving answers does not flood
 * the log; every refused request is logged with the page and the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASE_VIEW_WINDOW_MINUTES } from "~/utils/audit-log.server";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as editPage from "~/routes/audits.$auditId.cases.$caseId.edit";
import * as reviewPage from "~/routes/reviews.$caseId";
import * as adminUsers from "~/routes/admin.users._index";
import type { Db } from "~/utils/db.server";
import { callLoader, useTempDb } from "./helpers";
import { addCaseByHand, createAudit, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;
let auditId: number;
let caseId: number;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
  auditId = await createAudit(w, "Access log audit");
  const res = await addCaseByHand(w, auditId, "ACC-001");
  expect(res.status).toBe(302);
  caseId = Number(/\/cases\/(\d+)/.exec(res.location!)![1]);
});
afterAll(async () => env.cleanup());

const params = () => ({ auditId: String(auditId), caseId: String(caseId) });
const views = () => db.selectFrom("audit_log").selectAll().where("action", "=", "view").where("entity", "=", "case").orderBy("id").execute();

describe("views of case records", () => {
  it("logs who opened the case page, with the case's pseudonym and audit, once per user and case in the window", async () => {
    const before = (await views()).length;
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: params() })).status).toBe(200);
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: params() })).status).toBe(200);
    const logged = (await views()).slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ user_id: w.users.auditor.user.id, entity_id: String(caseId) });
    expect(JSON.parse(logged[0].after!)).toEqual({ caseRef: "ACC-001", auditId, page: "case" });

    // Another user's view is their own entry; so is a view after the window has passed.
    expect((await callLoader(editPage.loader, `/audits/${auditId}/cases/${caseId}/edit`, { cookie: w.users.admin.cookie, params: params() })).status).toBe(200);
    const old = new Date(Date.now() - (CASE_VIEW_WINDOW_MINUTES + 1) * 60_000).toISOString();
    await db.updateTable("audit_log").set({ at: old }).where("id", "=", logged[0].id).execute();
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: params() })).status).toBe(200);
    const after = (await views()).slice(before);
    expect(after.map((v) => [v.user_id, JSON.parse(v.after!).page])).toEqual([
      [w.users.auditor.user.id, "case"],
      [w.users.admin.user.id, "change case details"],
      [w.users.auditor.user.id, "case"],
    ]);
  });

  it("logs the designated doctor's view of an IHA through the review page", async () => {
    const before = (await views()).length;
    expect((await callLoader(reviewPage.loader, `/reviews/${caseId}`, { cookie: w.users.reviewer.cookie, params: { caseId: String(caseId) } })).status).toBe(200);
    const logged = (await views()).slice(before);
    expect(logged.map((v) => [v.user_id, JSON.parse(v.after!).page])).toEqual([[w.users.reviewer.user.id, "IHA review"]]);
  });
});

describe("refused requests", () => {
  it("logs a manager refused a case page, and an auditor refused an administration page, with the page and the reason", async () => {
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.manager.cookie, params: params() })).status).toBe(403);
    expect((await callLoader(adminUsers.loader, "/admin/users", { cookie: w.users.auditor.cookie })).status).toBe(403);
    const denied = await db.selectFrom("audit_log").selectAll().where("action", "=", "access-denied").orderBy("id").execute();
    expect(denied.map((d) => [d.user_id, d.entity, d.entity_id])).toEqual([
      [w.users.manager.user.id, "page", `/audits/${auditId}/cases/${caseId}`],
      [w.users.auditor.user.id, "page", "/admin/users"],
    ]);
    expect(JSON.parse(denied[0].after!)).toEqual({ method: "GET", role: "manager", reason: 'needs permission "viewCases"' });
    // A refused request is not a view.
    expect((await views()).some((v) => v.user_id === w.users.manager.user.id)).toBe(false);
  });
});
