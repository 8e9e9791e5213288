/**
 * The manager's dashboard and results across audits (issue #5), on the demonstration trust
 * (fixed seed and `today`): one row per template × service with the latest audit; the change
 * since the previous cycle against the two audits' summaries computed independently; the SPC
 * icon against the trend page's series; the deteriorating service; pooled figures against sums
 * by hand; filters, bad filter values, roles and the rendered page.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wilsonInterval } from "~/lib/statistics";
import { VARIATION_ICONS } from "~/lib/spc";
import { dashboardData } from "~/models/dashboard.server";
import { demoQuarters, generateDemoData } from "~/models/demo-data.server";
import { getAudit } from "~/models/audits.server";
import { auditSummary, type AuditSummary } from "~/models/summary.server";
import { templateTrends } from "~/models/trends.server";
import * as dashboardPage from "~/routes/dashboard";
import * as resultsPage from "~/routes/results";
import type { Db } from "~/utils/db.server";
import {
  anonymousCookie,
  callLoader,
  userWithSession,
  useTempDb,
} from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let users: Record<
  "admin" | "auditor" | "reviewer" | "manager",
  Awaited<ReturnType<typeof userWithSession>>
>;
const TODAY = "2026-05-14";
const QUARTERS = demoQuarters(TODAY, 8);
const SCOPES: Record<string, string[]> = {
  "lac-iha": [
    "Community paediatrics",
    "Looked after children's health: North",
    "Looked after children's health: South",
  ],
  "lac-rha": [
    "Looked after children's health: North",
    "Looked after children's health: South",
  ],
  "hv-school-nursing": [
    "Health visiting: East",
    "Health visiting: West",
    "School nursing",
  ],
  maternity: [
    "Maternity: Northmoor General",
    "Maternity: Riverside Birth Centre",
  ],
};

/** Every complete audit of a template key, in period order, with its summary computed by the summary model. */
const summaries = new Map<number, AuditSummary>();
async function auditsOf(key: string) {
  const rows = await db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["audits.id", "audits.period_end"])
    .where("tv.key", "=", key)
    .where("audits.status", "in", ["complete", "closed"])
    .orderBy("audits.period_end")
    .execute();
  for (const r of rows)
    if (!summaries.has(r.id))
      summaries.set(r.id, await auditSummary(db, (await getAudit(db, r.id))!));
  return rows.map((r) => ({
    id: r.id,
    periodEnd: r.period_end,
    summary: summaries.get(r.id)!,
  }));
}

async function providerOf(serviceName: string) {
  return (
    await db
      .selectFrom("services")
      .innerJoin("providers", "providers.id", "services.provider_id")
      .select(["providers.id", "providers.name"])
      .where("services.name", "=", serviceName)
      .executeTakeFirstOrThrow()
  ).name;
}

async function render(data: object, Component: () => JSX.Element) {
  const handler = createStaticHandler([
    { id: "page", path: "*", loader: () => data, Component },
  ]);
  const context = await handler.query(
    new Request("http://localhost/dashboard")
  );
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(StaticRouterProvider, { router, context, hydrate: false })
  );
}

const results = (cookie: string, q = "") =>
  callLoader(resultsPage.loader, `/results${q}`, { cookie });

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  users = {
    admin: await userWithSession(db, "administrator"),
    auditor: await userWithSession(db, "auditor"),
    reviewer: await userWithSession(db, "reviewer"),
    manager: await userWithSession(db, "manager"),
  };
  await generateDemoData(db, users.admin.user, {
    seed: "dashboard-test",
    today: TODAY,
  });
}, 120_000);

afterAll(async () => env.cleanup());

describe("dashboardData", () => {
  it("has one row per template × service, each with the template's latest audit and that service's figure from its summary", async () => {
    const d = await dashboardData(db, TODAY);
    expect(d.templates.map((t) => t.key).sort()).toEqual(
      Object.keys(SCOPES).sort()
    );
    for (const t of d.templates) {
      expect(t.rows.map((r) => r.serviceName).sort()).toEqual(
        [...SCOPES[t.key]].sort()
      );
      const audits = await auditsOf(t.key);
      expect(audits).toHaveLength(8);
      const latest = audits[audits.length - 1];
      expect(latest.periodEnd).toBe(QUARTERS[7].end);
      for (const r of t.rows) {
        expect(r.audit.id).toBe(latest.id);
        const s = latest.summary.byService.find(
          (x) => x.serviceName === r.serviceName
        )!;
        expect(r.figure.numerator).toBeCloseTo(s.numerator, 9);
        expect(r.figure.denominator).toBe(s.denominator);
        expect(r.figure.percent).toBeCloseTo(s.percent!, 9);
        expect(r.figure.rag).toBe(s.rag);
        expect(r.providerName).toBe(await providerOf(r.serviceName));
      }
    }
  }, 60_000);

  it("gives the change since the previous cycle as the difference of the two latest audits' figures for the service", async () => {
    const d = await dashboardData(db, TODAY);
    let checked = 0;
    for (const t of d.templates) {
      const audits = await auditsOf(t.key);
      const [prev, last] = audits.slice(-2);
      for (const r of t.rows) {
        const a = last.summary.byService.find(
          (x) => x.serviceName === r.serviceName
        )!.percent!;
        const b = prev.summary.byService.find(
          (x) => x.serviceName === r.serviceName
        )!.percent!;
        expect(r.previous?.auditId).toBe(prev.id);
        expect(r.change).toBeCloseTo(a - b, 9);
        checked += 1;
      }
    }
    expect(checked).toBe(10);
  }, 60_000);

  it("gives each row the variation icon of the service's trend series", async () => {
    const d = await dashboardData(db, TODAY);
    for (const t of d.templates) {
      for (const r of t.rows) {
        const trend = (await templateTrends(db, t.key, {
          serviceId: r.serviceId,
        }))!;
        expect(r.variation).toBe(trend.overall.variation);
        expect(r.points).toBe(trend.overall.points.length);
        expect(r.series).toEqual(trend.overall.points.map((p) => p.percent));
        expect(r.variationLabel).toBe(
          VARIATION_ICONS[trend.overall.variation].label
        );
        expect(r.tooFewPoints).toBe(true); // 8 cycles: fewer than 12
      }
    }
  }, 60_000);

  it("shows the deteriorating service, Looked after children's health: South, falling or of concern", async () => {
    const d = await dashboardData(db, TODAY);
    const south = d.templates
      .flatMap((t) => t.rows)
      .filter((r) => r.serviceName === "Looked after children's health: South");
    expect(south).toHaveLength(2);
    for (const r of south)
      expect(r.change! < 0 || r.variation.startsWith("concern")).toBe(true);
    // And its latest figure is below its first cycle's (the generator drops it by 40 points).
    const trend = (await templateTrends(db, "lac-rha", {
      serviceId: south[0].serviceId,
    }))!;
    expect(
      trend.overall.points[trend.overall.points.length - 1].percent
    ).toBeLessThan(trend.overall.points[0].percent);
  }, 60_000);

  it("counts the action plans to chase: open, in progress and overdue (not done, due before today), links to them", async () => {
    expect((await dashboardData(db, TODAY)).actions).toEqual({ open: 0, inProgress: 0, overdue: 0 });
    const auditId = (await db.selectFrom("audits").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    const action = (status: "open" | "in_progress" | "done", due: string) => ({
      audit_id: auditId,
      criterion_id: null,
      description: `Action ${status} due ${due}`,
      owner_user_id: null,
      owner_role: "Named nurse",
      due_date: due,
      status,
      evidence: status === "done" ? "Done" : null,
      created_by: users.admin.user.id,
      created_at: now,
      updated_at: now,
      completed_at: status === "done" ? now : null,
    });
    const ids = (
      await db
        .insertInto("actions")
        .values([action("open", "2026-05-13"), action("open", TODAY), action("in_progress", "2026-01-01"), action("done", "2026-01-01")])
        .returning("id")
        .execute()
    ).map((r) => r.id);
    try {
      // Due yesterday and open, due in January and in progress: overdue; due today: not yet; done: never.
      expect((await dashboardData(db, TODAY)).actions).toEqual({ open: 2, inProgress: 1, overdue: 2 });
      const page = await callLoader(dashboardPage.loader, "/dashboard", { cookie: users.manager.cookie });
      const html = await render(page.data, dashboardPage.default);
      expect(html).toContain('href="/actions?overdue=yes"');
      // The page is as of the real today, when all three not done are past due.
      expect(html.replace(/<!-- -->/g, "")).toContain("3 overdue</strong> 2 open, 1 in progress.");
    } finally {
      await db.deleteFrom("actions").where("id", "in", ids).execute();
    }
  });

  it("shows the dashboard as it stood on a past day: audits completed later are left out", async () => {
    const d = await dashboardData(db, QUARTERS[6].end);
    for (const t of d.templates) {
      const audits = await auditsOf(t.key);
      for (const r of t.rows) expect(r.audit.id).toBe(audits[6].id);
    }
    expect((await dashboardData(db, "2000-01-01")).templates).toEqual([]);
  }, 60_000);
});

describe("/dashboard", () => {
  it("is open to every role (200) and sends the signed out to sign in", async () => {
    for (const role of ["admin", "auditor", "reviewer", "manager"] as const) {
      const res = await callLoader(dashboardPage.loader, "/dashboard", {
        cookie: users[role].cookie,
      });
      expect(res.status).toBe(200);
      expect(res.data.canViewCases).toBe(role !== "manager");
    }
    const anon = await callLoader(dashboardPage.loader, "/dashboard", {
      cookie: anonymousCookie,
    });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/sign-in/);
  });

  it("renders tables with captions, the SPC icon in words and drill-down links; the audit page link only for roles that see cases", async () => {
    const manager = await callLoader(dashboardPage.loader, "/dashboard", {
      cookie: users.manager.cookie,
    });
    const html = await render(manager.data, dashboardPage.default);
    expect((html.match(/<caption/g) ?? []).length).toBe(4);
    expect(html).toContain("latest compliance by service");
    const row = manager.data.templates[0].rows[0];
    expect(html).toContain(
      VARIATION_ICONS[row.variation as keyof typeof VARIATION_ICONS].label
    );
    expect(html).toContain(`/audits/${row.audit.id}/results`);
    expect(html).toContain(
      `/templates/${manager.data.templates[0].key}/trends?service=${row.serviceId}`
    );
    expect(html).toContain("percentage points");
    // A sparkline per row, described in words.
    expect((html.match(/class="app-sparkline"/g) ?? []).length).toBe(
      manager.data.templates.reduce((n: number, t: { rows: unknown[] }) => n + t.rows.length, 0)
    );
    expect(html).toContain(
      `aria-label="${row.serviceName.replace(/'/g, "&#x27;")}: compliance over 8 cycles, from `
    );
    expect(html).not.toContain("Audit and cases");
    expect(html).not.toContain(`href="/audits/${row.audit.id}"`);

    const auditor = await callLoader(dashboardPage.loader, "/dashboard", {
      cookie: users.auditor.cookie,
    });
    const auditorHtml = await render(auditor.data, dashboardPage.default);
    expect(auditorHtml).toContain(`href="/audits/${row.audit.id}"`);
  });
});

describe("/results", () => {
  it("by provider, for one template, equals the sums by hand over that template's audits", async () => {
    const res = await results(
      users.manager.cookie,
      "?group=provider&template=lac-iha"
    );
    expect(res.status).toBe(200);
    const audits = await auditsOf("lac-iha");
    const expected = new Map<
      string,
      { num: number; den: number; met: number; partial: number; notMet: number }
    >();
    for (const a of audits) {
      for (const s of a.summary.byService) {
        const p = await providerOf(s.serviceName);
        const e = expected.get(p) ?? {
          num: 0,
          den: 0,
          met: 0,
          partial: 0,
          notMet: 0,
        };
        e.num += s.numerator;
        e.den += s.denominator;
        e.met += s.met;
        e.partial += s.partial;
        e.notMet += s.notMet;
        expected.set(p, e);
      }
    }
    expect(
      res.data.results.rows.map((r: { label: string }) => r.label).sort()
    ).toEqual([...expected.keys()].sort());
    expect(res.data.results.auditCount).toBe(8);
    for (const r of res.data.results.rows) {
      const e = expected.get(r.label)!;
      expect(r.numerator).toBeCloseTo(e.num, 9);
      expect(r.denominator).toBe(e.den);
      expect([r.met, r.partial, r.notMet]).toEqual([
        e.met,
        e.partial,
        e.notMet,
      ]);
      expect(r.percent).toBeCloseTo((100 * e.num) / e.den, 9);
      const ci = wilsonInterval(e.num, e.den)!;
      expect(r.ciLow).toBeCloseTo(100 * ci.low, 9);
      expect(r.ciHigh).toBeCloseTo(100 * ci.high, 9);
      expect(r.mixedTemplates).toBe(false);
      expect(r.smallSample).toBe(false);
    }
  }, 60_000);

  it("by service, for one template, equals the sums by hand; a one-quarter period gives the latest audit's figures", async () => {
    const audits = await auditsOf("lac-rha");
    const res = await results(
      users.reviewer.cookie,
      "?group=service&template=lac-rha"
    );
    expect(res.status).toBe(200);
    for (const r of res.data.results.rows) {
      const num = audits.reduce(
        (sum, a) =>
          sum +
          a.summary.byService.find((s) => s.serviceName === r.label)!.numerator,
        0
      );
      const den = audits.reduce(
        (sum, a) =>
          sum +
          a.summary.byService.find((s) => s.serviceName === r.label)!
            .denominator,
        0
      );
      expect(r.numerator).toBeCloseTo(num, 9);
      expect(r.denominator).toBe(den);
      expect(r.audits).toBe(8);
    }
    expect(res.data.results.rows).toHaveLength(2);

    const [y, m, d] = QUARTERS[7].start.split("-").map(Number);
    const last = await results(
      users.reviewer.cookie,
      `?group=service&template=lac-rha&from-day=${d}&from-month=${m}&from-year=${y}`
    );
    expect(last.status).toBe(200);
    expect(last.data.results.auditCount).toBe(1);
    for (const r of last.data.results.rows) {
      const s = audits[7].summary.byService.find(
        (x) => x.serviceName === r.label
      )!;
      expect(r.numerator).toBeCloseTo(s.numerator, 9);
      expect(r.denominator).toBe(s.denominator);
      expect(r.rag).toBe(s.rag);
      expect(r.smallSample).toBe(true); // 6 cases per service in one audit
    }
    // "to" before the first period: nothing.
    const [y0, m0, d0] = QUARTERS[0].start.split("-").map(Number);
    const none = await results(
      users.reviewer.cookie,
      `?group=service&to-day=${d0}&to-month=${m0}&to-year=${y0}`
    );
    expect(none.data.results.auditCount).toBe(0);
    expect(none.data.results.rows).toEqual([]);
  }, 60_000);

  it("splits by case type (the case-type figures add up to the whole) and groups by team", async () => {
    const all = await results(
      users.admin.cookie,
      "?group=provider&template=maternity"
    );
    const types: string[] = all.data.options.caseTypes;
    expect(types.length).toBeGreaterThan(1);
    let sum = 0;
    for (const t of types) {
      const one = await results(
        users.admin.cookie,
        `?group=provider&template=maternity&caseType=${t}`
      );
      expect(one.status).toBe(200);
      sum += one.data.results.rows.reduce(
        (s: number, r: { denominator: number }) => s + r.denominator,
        0
      );
    }
    const total = all.data.results.rows.reduce(
      (s: number, r: { denominator: number }) => s + r.denominator,
      0
    );
    expect(sum).toBe(total);
    const teams = await results(
      users.admin.cookie,
      "?group=team&template=maternity"
    );
    expect(
      teams.data.results.rows.map((r: { label: string }) => r.label).sort()
    ).toEqual([
      "Community midwives",
      "Hospital midwives",
      "Riverside midwives",
    ]);
    expect(
      teams.data.results.rows.reduce(
        (s: number, r: { denominator: number }) => s + r.denominator,
        0
      )
    ).toBe(total);
  }, 60_000);

  it("ranks the chosen template's criteria worst first across the matching audits, from the sums by hand", async () => {
    const res = await results(users.manager.cookie, "?group=service&template=lac-iha");
    const worst = res.data.results.worst;
    expect(worst.green).toBe(90);
    const sums = new Map<string, { num: number; den: number; met: number }>();
    for (const a of await auditsOf("lac-iha"))
      for (const c of a.summary.byCriterion) {
        const e = sums.get(c.criterionId) ?? { num: 0, den: 0, met: 0 };
        e.num += c.numerator;
        e.den += c.denominator;
        e.met += c.met;
        sums.set(c.criterionId, e);
      }
    const applicable = [...sums].filter(([, e]) => e.den > 0);
    expect(worst.criteria).toHaveLength(applicable.length);
    for (const c of worst.criteria) {
      const e = sums.get(c.criterionId)!;
      expect([c.denominator, c.met]).toEqual([e.den, e.met]);
      expect(c.percent).toBeCloseTo((100 * e.num) / e.den, 9);
      expect(c.belowGreen).toBeCloseTo(90 - c.percent, 9);
      expect(typeof c.question).toBe("string");
    }
    const gaps = worst.criteria.map((c: { belowGreen: number }) => c.belowGreen);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
    expect(worst.criteria[0].belowGreen).toBeGreaterThan(0);

    // The case-type filter applies to the ranking too; with no template there is none.
    const types: string[] = res.data.options.caseTypes;
    let den = 0;
    for (const t of types) {
      const one = await results(users.manager.cookie, `?group=service&template=lac-iha&caseType=${t}`);
      den += (one.data.results.worst?.criteria ?? []).reduce((n: number, c: { denominator: number }) => n + c.denominator, 0);
    }
    expect(den).toBe(worst.criteria.reduce((n: number, c: { denominator: number }) => n + c.denominator, 0));
    expect((await results(users.manager.cookie, "?group=service")).data.results.worst).toBeNull();
  }, 60_000);

  it("uses the default 90 / 75 RAG where a row mixes templates, and says so", async () => {
    const res = await results(users.manager.cookie, "?group=provider");
    expect(res.status).toBe(200);
    const community = res.data.results.rows.find((r: { label: string }) =>
      r.label.startsWith("Northmoor Community Health")
    );
    expect(community.templates).toEqual([
      "hv-school-nursing",
      "lac-iha",
      "lac-rha",
    ]);
    expect(community.mixedTemplates).toBe(true);
    expect(community.thresholds).toEqual({ green: 90, amber: 75 });
    expect(res.data.results.anyMixed).toBe(true);
    const html = await render(res.data, resultsPage.default);
    expect(html).toContain("<caption");
    expect(html).toContain("more than one template: default 90 / 75");
  }, 60_000);

  it("answers bad filter values with 400 and GOV.UK messages", async () => {
    const cases: [string, string, string][] = [
      ["?group=region", "groupBy", "Select provider, service or team"],
      [
        "?template=no-such-template",
        "template",
        "Select a template from the list",
      ],
      ["?caseType=ZZZ", "caseType", "Select a case type from the list"],
      [
        "?from-day=31&from-month=2&from-year=2025",
        "from",
        "The start of the period must be a real date",
      ],
      [
        "?to-day=1&to-month=&to-year=2025",
        "to",
        "The end of the period must include a day, month and year",
      ],
      [
        "?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3&to-year=2025",
        "to",
        "The end of the period must be the same as or after the start",
      ],
    ];
    for (const [q, field, message] of cases) {
      const res = await results(users.manager.cookie, q);
      expect(res.status, q).toBe(400);
      expect(res.data.errors[field]).toBe(message);
      expect(res.data.results).toBeNull();
    }
    const bad = await results(
      users.manager.cookie,
      "?template=no-such-template"
    );
    const html = await render(bad.data, resultsPage.default);
    expect(html).toContain("There is a problem");
    expect(html).toContain('href="#template"');
  });

  it("is open to every role (200) and sends the signed out to sign in", async () => {
    for (const role of ["admin", "auditor", "reviewer", "manager"] as const)
      expect((await results(users[role].cookie)).status).toBe(200);
    const anon = await results(anonymousCookie, "?group=team");
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(
      `/sign-in?redirectTo=${encodeURIComponent("/results?group=team")}`
    );
  });
});
