/**
 * The printable audit report (issue 5): every section's content from the loader on a fixture
 * audit made through the pages and models (an imported case list of 8, a seeded draw of 5, one
 * case excluded and one added by hand with reasons, scored cases with notes, one moderated
 * case, an action and a reason for no action); managers see no notes, case references or
 * reasons; the server-rendered page has the SVG chart, its table and the no-JavaScript print
 * hint; every role may read it; the results page links to it.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInLondon } from "~/lib/dates";
import { SAMPLING_ALGORITHM } from "~/lib/sampling";
import { addWorkingDays } from "~/lib/working-days";
import { isoToParts } from "~/schemas/fields";
import { allCriteria } from "~/schemas/template";
import * as reportPage from "~/routes/audits.$auditId.report";
import * as resultsPage from "~/routes/audits.$auditId.results";
import * as samplePage from "~/routes/audits.$auditId.sample";
import * as excludePage from "~/routes/audits.$auditId.cases.$caseId.exclude";
import * as planPage from "~/routes/audits.$auditId.actions._index";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, useTempDb } from "./helpers";
import { casesOf, createAudit, importCases, postAnswers, scoreCompletely, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;
let auditId: number;
let emptyAuditId: number;
const refs = Array.from({ length: 8 }, (_, i) => `RPT-${String(i + 1).padStart(3, "0")}`);
let excludedRef: string;
let addedRef: string;

const RED = "iha-care-context"; // not met in every scored case
const RED2 = "iha-parental-history"; // not met in every scored case, with a reason for no action
const NOTE = "Note that must stay with the case NOTE-7731";
const ADD_REASON = "Named nurse asked for this case ADD-REASON-5512";
const EXCLUDE_REASON = "Record cannot be found EXCL-REASON-9044";
const NO_ACTION = "Covered by the trust-wide IHA pathway review";

const p = (id: number, extra: Record<string, string> = {}) => ({ auditId: String(id), ...extra });
const reportOf = (id: number, cookie: string) => callLoader(reportPage.loader, `/audits/${id}/report`, { cookie, params: p(id) });
const due = (iso: string) => {
  const parts = isoToParts(iso);
  return { "dueDate.day": parts.day!, "dueDate.month": parts.month!, "dueDate.year": parts.year! };
};

/** Renders a route's page with the loader's data, as the server would (no JavaScript). */
async function render(data: object, Component: () => JSX.Element, path: string) {
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => data, Component }]);
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
  auditId = await createAudit(w, "Report audit");
  emptyAuditId = await createAudit(w, "Empty audit");
  await importCases(db, w, auditId, refs.map((ref, i) => ({ ref, serviceId: i % 2 ? w.serviceB : w.serviceA })));
  const drawn = await callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw", method: "simple", sizeBy: "number", size: "5", seed: "REPORT-SEED" }, { cookie: w.users.auditor.cookie, params: p(auditId) });
  expect(drawn.status).toBe(302);

  let cases = await casesOf(db, auditId);
  const inSample = [...cases.values()].filter((c) => c.in_sample === 1);
  excludedRef = inSample[0].case_ref;
  addedRef = [...cases.values()].find((c) => c.in_sample === 0)!.case_ref;
  const added = await callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "add", caseRef: addedRef, reason: ADD_REASON }, { cookie: w.users.auditor.cookie, params: p(auditId) });
  expect(added.status).toBe(302);
  const excluded = await callAction(excludePage.action, `/audits/${auditId}/cases/${inSample[0].id}/exclude`, { reason: EXCLUDE_REASON }, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(inSample[0].id) }) });
  expect(excluded.status).toBe(302);

  cases = await casesOf(db, auditId);
  const scored = [...cases.values()].filter((c) => c.in_sample === 1 && !c.excluded_at);
  expect(scored).toHaveLength(5);
  for (const c of scored) {
    await scoreCompletely(w, auditId, c.id);
    const notMet = (criterionId: string) => ({ [`answers.${criterionId}.answer`]: "not_met", [`answers.${criterionId}.note`]: NOTE });
    const res = await postAnswers(w, auditId, c.id, { ...notMet(RED), ...notMet(RED2) });
    expect(res.data?.errors).toBeUndefined();
  }
  // One case scored a second time by a reviewer (what the moderation pages record when done).
  await db
    .insertInto("moderation_cases")
    .values({ audit_id: auditId, case_id: scored[0].id, moderator_id: w.users.reviewer.user.id, seed: null, selected_by: w.users.reviewer.user.id, selected_at: nowIso(), completed_at: nowIso() })
    .execute();

  const plan = (fields: Record<string, string | string[]>) => callAction(planPage.action, `/audits/${auditId}/actions`, fields, { cookie: w.users.auditor.cookie, params: p(auditId) });
  const created = await plan({
    intent: "create",
    criterionId: RED,
    description: "Use the care-context checklist at every IHA",
    ownerUserId: String(w.users.auditor.user.id),
    ownerRole: "",
    ...due(addWorkingDays(todayInLondon(), 20)),
    serviceIds: [String(w.serviceA)],
  });
  expect(created.status).toBe(302);
  const late = await plan({ intent: "create", criterionId: "", description: "Audit the IHA booking letters", ownerUserId: "", ownerRole: "Named nurse", ...due(addWorkingDays(todayInLondon(), 5)), serviceIds: [String(w.serviceB)] });
  expect(late.data?.errors).toBeUndefined();
  expect(late.status).toBe(302);
  // Make the second one overdue, as time passing would.
  await db.updateTable("actions").set({ due_date: addDays(todayInLondon(), -3) }).where("description", "=", "Audit the IHA booking letters").execute();
  expect((await plan({ intent: "no-action", criterionId: RED2, reason: NO_ACTION })).status).toBe(302);
}, 60_000);

afterAll(async () => env.cleanup());

describe("the audit report's content", () => {
  it("names the audit, its organisation and services, period, and template with version", async () => {
    const res = await reportOf(auditId, w.users.auditor.cookie);
    expect(res.status).toBe(200);
    const { audit, organisation } = res.data.report;
    expect(audit).toMatchObject({ id: auditId, title: "Report audit", periodStart: "2025-10-01", periodEnd: "2025-12-31", templateTitle: w.template.title, templateVersion: w.template.version });
    expect(organisation.providers).toEqual(["Northshire NHS Trust"]);
    expect(organisation.services.map((s: { name: string }) => s.name)).toEqual(["Health visiting", "LAC health team"]);
  });

  it("gives the template's description as the purpose, and every criterion with its sources by section", async () => {
    const { report } = (await reportOf(auditId, w.users.auditor.cookie)).data;
    expect(report.purpose).toBe(w.template.description);
    expect(report.standards.map((s: { id: string }) => s.id)).toEqual(w.template.sections.map((s) => s.id));
    const criteria = report.standards.flatMap((s: { criteria: unknown[] }) => s.criteria);
    expect(criteria).toHaveLength(allCriteria(w.template).length);
    for (const c of allCriteria(w.template)) {
      const got = criteria.find((x: { id: string }) => x.id === c.id);
      expect(got.question).toBe(c.question);
      expect(got.sources).toEqual(c.sources.map((s) => ({ report: s.report, paragraph: s.paragraph, recommendation: s.recommendation ?? null })));
    }
  });

  it("describes the method: population, the seeded draw, changes after it with reasons, and moderation", async () => {
    const { method } = (await reportOf(auditId, w.users.auditor.cookie)).data.report;
    expect(method).toMatchObject({ population: 7, imported: 7, sampled: 5, scored: 5, excluded: 1, moderated: 1 });
    expect(method.sample).toMatchObject({ seed: "REPORT-SEED", algorithm: SAMPLING_ALGORITHM, description: "Simple random sample, 5 cases", populationSize: 8, sampleSize: 5, drawnBy: "Bea Auditor" });
    expect(method.changes).toMatchObject({ added: 1, excluded: 1 });
    expect(method.changes.list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseRef: addedRef, change: "added", reason: ADD_REASON }),
        expect.objectContaining({ caseRef: excludedRef, change: "excluded", reason: EXCLUDE_REASON }),
      ]),
    );
  });

  it("gives the same figures as the results page, overall, by criterion and by service, with intervals and small-sample marks", async () => {
    const { results } = (await reportOf(auditId, w.users.auditor.cookie)).data.report;
    const page = (await callLoader(resultsPage.loader, `/audits/${auditId}/results`, { cookie: w.users.auditor.cookie, params: p(auditId) })).data;
    expect(results.caseCount).toBe(5);
    expect(results.overall).toEqual(page.rollup.overall);
    expect(results.byCriterion).toEqual(page.rollup.byCriterion);
    expect(results.byService).toEqual(page.rollup.byService);
    const red = results.byCriterion.find((c: { criterionId: string }) => c.criterionId === RED);
    expect(red).toMatchObject({ met: 0, notMet: 5, numerator: 0, denominator: 5, percent: 0, rag: "red", smallSample: true });
    expect(red.ciLow).toBe(0);
    expect(red.ciHigh).toBeGreaterThan(40);
    expect(results.byService.map((s: { serviceName: string }) => s.serviceName)).toEqual(["Health visiting", "LAC health team"]);
  });

  it("lists the action plan (owner, due date, status, overdue) and the reasons for no action", async () => {
    const { actionPlan } = (await reportOf(auditId, w.users.auditor.cookie)).data.report;
    expect(actionPlan.actions).toHaveLength(2);
    const byDescription = Object.fromEntries(actionPlan.actions.map((a: { description: string }) => [a.description, a]));
    expect(byDescription["Use the care-context checklist at every IHA"]).toMatchObject({ owner: "Bea Auditor", status: "open", overdue: false, dueDate: addWorkingDays(todayInLondon(), 20), services: [{ id: w.serviceA, name: "LAC health team" }] });
    expect(byDescription["Audit the IHA booking letters"]).toMatchObject({ owner: "Named nurse", overdue: true, criterion: null });
    expect(actionPlan.noActionReasons).toEqual([expect.objectContaining({ criterionId: RED2, reason: NO_ACTION })]);
  });

  it("says when there is no sample, no change and no action", async () => {
    const res = await reportOf(emptyAuditId, w.users.manager.cookie);
    expect(res.status).toBe(200);
    expect(res.data.report.method).toMatchObject({ sample: null, population: 0, moderated: 0, changes: { added: 0, excluded: 0, list: null } });
    expect(res.data.report.actionPlan).toEqual({ actions: [], noActionReasons: [] });
    const html = await render(res.data, reportPage.default, `/audits/${emptyAuditId}/report`);
    expect(html).toContain("No random sample was drawn");
    expect(html).toContain("No actions have been recorded for this audit.");
    expect(html).toContain("No applicable cases");
  });
});

describe("what a manager sees", () => {
  it("has no notes, case references or reasons for sample changes, only the counts", async () => {
    const res = await reportOf(auditId, w.users.manager.cookie);
    expect(res.status).toBe(200);
    const json = JSON.stringify(res.data);
    expect(json).not.toContain("NOTE-7731");
    expect(json).not.toContain("ADD-REASON-5512");
    expect(json).not.toContain("EXCL-REASON-9044");
    for (const ref of refs) expect(json).not.toContain(ref);
    expect(res.data.report.method.changes).toEqual({ added: 1, excluded: 1, list: null });
    // The same loader for an auditor does carry them (so the assertions above can fail).
    const auditorJson = JSON.stringify((await reportOf(auditId, w.users.auditor.cookie)).data);
    expect(auditorJson).toContain("ADD-REASON-5512");
    expect(auditorJson).toContain(excludedRef);
    expect(auditorJson).not.toContain("NOTE-7731");
  });

  it("renders counts without references in the page", async () => {
    const res = await reportOf(auditId, w.users.manager.cookie);
    const html = await render(res.data, reportPage.default, `/audits/${auditId}/report`);
    for (const ref of refs) expect(html).not.toContain(ref);
    expect(html).toContain("1 case was excluded from the sample and 1 case was added to it by hand, each with a recorded reason.");
    expect(html).not.toContain('data-testid="sample-change-list"');
  });
});

describe("the rendered report", () => {
  it("has every section, the SVG bar chart with a text alternative, and the print hint without JavaScript", async () => {
    const res = await reportOf(auditId, w.users.auditor.cookie);
    const html = await render(res.data, reportPage.default, `/audits/${auditId}/report`);
    for (const heading of ["Purpose", "Standards audited", "Method", "Results", "Action plan"]) expect(html).toMatch(new RegExp(`<h2 id="[a-z-]+">${heading}</h2>`));
    const svg = html.match(/<svg[^>]*data-testid="criterion-chart"[^>]*>([\s\S]*?)<\/svg>/);
    expect(svg).not.toBeNull();
    expect(svg![0]).toMatch(/role="img"/);
    expect(svg![0]).toMatch(/aria-label="Bar chart of compliance by criterion, \d+ criteria, with the green \(90%\) and amber \(75%\) thresholds\. The table “Compliance by criterion” gives the same figures\."/);
    const bars = svg![1].match(/data-bar="/g) ?? [];
    expect(bars).toHaveLength(allCriteria(w.template).length);
    expect(svg![1]).toContain('data-line="Green"');
    expect(svg![1]).toContain('data-line="Amber"');
    // A red bar for a criterion never met, labelled 0.0%.
    expect(html).toContain("<caption class=\"nhsuk-table__caption nhsuk-table__caption--s\">Compliance by criterion</caption>");
    expect(html).toContain("<caption class=\"nhsuk-table__caption nhsuk-table__caption--s\">Compliance by service</caption>");
    expect(html).toMatch(/data-row="criterion-iha-care-context"[^>]*>.*?0\.0%.*?0 \/ 5.*?Red/);
    expect(html).toContain('data-testid="print-hint"');
    expect(html).not.toContain('data-testid="print-button"');
    expect(html).toContain("REPORT-SEED");
    expect(html).toContain(EXCLUDE_REASON);
    expect(html).toContain(NO_ACTION);
    expect(html).toContain("Overdue");
    expect(html).toContain("1 case was moderated");
  });

  it("links a stylesheet for print only", () => {
    const links = reportPage.links();
    expect(links).toEqual([expect.objectContaining({ rel: "stylesheet", media: "print" })]);
  });

  it("is linked from the results page", async () => {
    const res = await callLoader(resultsPage.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) });
    const html = await render(res.data, resultsPage.default, `/audits/${auditId}/results`);
    const list = html.match(/<ul[^>]*data-testid="export-links"[^>]*>([\s\S]*?)<\/ul>/)![1];
    expect(list).toContain(`href="/audits/${auditId}/report">Printable report</a>`);
  });
});

describe("who may read the report", () => {
  it("every role may; a visitor is sent to sign in; an unknown audit is not found", async () => {
    for (const u of [w.users.admin, w.users.auditor, w.users.reviewer, w.users.manager]) expect((await reportOf(auditId, u.cookie)).status).toBe(200);
    const anon = await callLoader(reportPage.loader, `/audits/${auditId}/report`, { params: p(auditId) });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/sign-in/);
    expect((await reportOf(99999, w.users.manager.cookie)).status).toBe(404);
  });

  it("shows case references and reasons to the roles that may see cases (administrator, auditor, reviewer)", async () => {
    for (const u of [w.users.admin, w.users.auditor, w.users.reviewer]) {
      expect((await reportOf(auditId, u.cookie)).data.report.method.changes.list).toHaveLength(2);
    }
  });
});

