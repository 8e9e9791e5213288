/**
 * The audit summary (issue 5) on a hand-computed fixture: a template with partial credit 0.5
 * (tests/fixtures/templates/rollup/rollup.yaml), two services, six cases made through the models.
 *
 *   case  service  voice     chronology  plan
 *   A1    Alpha    met       met         partial
 *   A2    Alpha    met       not met     met
 *   A3    Alpha    partial   met         n/a
 *   B1    Beta     not met   met         met
 *   B2    Beta     met       n/a         not met
 *   B3    Beta     met       met         (not answered)
 *
 *   voice       4 met, 1 partial, 1 not met          → 4.5 / 6  = 75.0%  amber  (Wilson 36.48–94.00)
 *   chronology  4 met, 1 not met, 1 n/a              → 4 / 5    = 80.0%  amber  (37.55–96.38)
 *   plan        2 met, 1 partial, 1 not met, 1 n/a   → 2.5 / 4  = 62.5%  red    (21.94–90.81)
 *   record      8 met, 1 partial, 2 not met, 1 n/a   → 8.5 / 11 = 77.27% amber  (47.75–92.67)
 *   overall     10 met, 2 partial, 3 not met, 2 n/a  → 11 / 15  = 73.33% red    (48.05–89.10)
 *   Alpha       5 met, 2 partial, 1 not met, 1 n/a   → 6 / 8    = 75.0%  amber  (40.93–92.85)
 *   Beta        5 met, 2 not met, 1 n/a              → 5 / 7    = 71.43% red    (35.89–91.78)
 *
 * Worst first against green 90%: plan (27.5 below), voice (15), chronology (10).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Answer } from "~/lib/answers";
import { auditSummaryCommand } from "~/cli/audit-summary";
import { getAudit } from "~/models/audits.server";
import { addCase, saveAnswers } from "~/models/cases.server";
import { auditSummary } from "~/models/summary.server";
import { parseTemplateSource, syncTemplates } from "~/models/templates.server";
import * as newAudit from "~/routes/audits.new";
import * as resultsPage from "~/routes/audits.$auditId.results";
import { WorstTable } from "~/components/figures";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, userWithSession, useTempDb } from "./helpers";

// Renders the results page outside a router: the loader's data is handed to useLoaderData.
const page = vi.hoisted(() => ({ data: undefined as unknown }));
vi.mock("@remix-run/react", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@remix-run/react")>()),
  useLoaderData: () => page.data,
  Link: ({ to, children, ...rest }: { to: string; children: ReactNode }) => createElement("a", { href: to, ...rest }, children),
}));

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let auditor: Awaited<ReturnType<typeof userWithSession>>;
let manager: Awaited<ReturnType<typeof userWithSession>>;
let templateVersionId: number;
let alpha: number, beta: number;
let auditId: number;

const FIGURE_KEYS = ["met", "partial", "notMet", "na", "numerator", "denominator", "percent", "rag", "ciLow", "ciHigh"];

async function publish(file: string) {
  const loaded = parseTemplateSource(file, fs.readFileSync(file, "utf8"));
  if ("problems" in loaded) throw new Error(JSON.stringify(loaded.problems));
  expect((await syncTemplates(db, [loaded])).problems).toEqual([]);
  return (await db.selectFrom("template_versions").select("id").where("key", "=", loaded.template.key).executeTakeFirstOrThrow()).id;
}

async function createAudit(title: string) {
  const res = await callAction(
    newAudit.action,
    "/audits/new",
    {
      templateVersionId: String(templateVersionId),
      title,
      serviceIds: [String(alpha), String(beta)],
      "periodStart.day": "1",
      "periodStart.month": "1",
      "periodStart.year": "2026",
      "periodEnd.day": "31",
      "periodEnd.month": "3",
      "periodEnd.year": "2026",
    },
    { cookie: auditor.cookie },
  );
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

async function scoredCase(id: number, caseRef: string, serviceId: number, answers: Record<string, Answer>) {
  const audit = (await getAudit(db, id))!;
  const c = await addCase(db, auditor.user, audit, { caseRef, serviceId, teamId: null, caseType: "CHILD", fields: {} });
  const input = Object.fromEntries(Object.entries(answers).map(([k, answer]) => [k, { answer, note: answer === "met" || answer === "na" ? null : "See the record" }]));
  await saveAnswers(db, auditor.user, c.id, input);
}

/** A figure as the JSON carries it, with the Wilson bounds to 6 decimal places (worked out by hand). */
function expected(counts: { met: number; partial: number; notMet: number; na: number }, numerator: number, denominator: number, rag: string, ciLow: number, ciHigh: number) {
  return {
    ...counts,
    numerator,
    denominator,
    percent: expect.closeTo((100 * numerator) / denominator, 10),
    rag,
    ciLow: expect.closeTo(ciLow, 6),
    ciHigh: expect.closeTo(ciHigh, 6),
  };
}

const EXPECTED = {
  overall: expected({ met: 10, partial: 2, notMet: 3, na: 2 }, 11, 15, "red", 48.049566, 89.102547),
  bySection: [
    { sectionId: "record", ...expected({ met: 8, partial: 1, notMet: 2, na: 1 }, 8.5, 11, "amber", 47.754959, 92.672334) },
    { sectionId: "plan", ...expected({ met: 2, partial: 1, notMet: 1, na: 1 }, 2.5, 4, "red", 21.942652, 90.810077) },
  ],
  byCriterion: [
    { criterionId: "voice", ...expected({ met: 4, partial: 1, notMet: 1, na: 0 }, 4.5, 6, "amber", 36.482256, 94.00103) },
    { criterionId: "chronology", ...expected({ met: 4, partial: 0, notMet: 1, na: 1 }, 4, 5, "amber", 37.553463, 96.377589) },
    { criterionId: "plan", ...expected({ met: 2, partial: 1, notMet: 1, na: 1 }, 2.5, 4, "red", 21.942652, 90.810077) },
  ],
  byService: [
    { serviceName: "Alpha service", ...expected({ met: 5, partial: 2, notMet: 1, na: 1 }, 6, 8, "amber", 40.927543, 92.852079) },
    { serviceName: "Beta service", ...expected({ met: 5, partial: 0, notMet: 2, na: 1 }, 5, 7, "red", 35.893445, 91.778108) },
  ],
};

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  templateVersionId = await publish("tests/fixtures/templates/rollup/rollup.yaml");
  const now = nowIso();
  const provider = (await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const service = async (name: string) => (await db.insertInto("services").values({ provider_id: provider, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  // Beta is created first, so listing by name (not id) is what puts Alpha first.
  beta = await service("Beta service");
  alpha = await service("Alpha service");
  auditor = await userWithSession(db, "auditor");
  manager = await userWithSession(db, "manager");

  auditId = await createAudit("Roll-up audit Q1");
  await scoredCase(auditId, "A1", alpha, { voice: "met", chronology: "met", plan: "partial" });
  await scoredCase(auditId, "A2", alpha, { voice: "met", chronology: "not_met", plan: "met" });
  await scoredCase(auditId, "A3", alpha, { voice: "partial", chronology: "met", plan: "na" });
  await scoredCase(auditId, "B1", beta, { voice: "not_met", chronology: "met", plan: "met" });
  await scoredCase(auditId, "B2", beta, { voice: "met", chronology: "na", plan: "not_met" });
  await scoredCase(auditId, "B3", beta, { voice: "met", chronology: "met" });
});

afterAll(async () => env.cleanup());

describe("auditSummary", () => {
  it("matches the hand-computed figures, with exactly the documented keys", async () => {
    const summary = await auditSummary(db, (await getAudit(db, auditId))!);
    expect(summary).toEqual(EXPECTED);
    expect(Object.keys(summary)).toEqual(["overall", "bySection", "byCriterion", "byService"]);
    expect(Object.keys(summary.overall)).toEqual(FIGURE_KEYS);
    expect(Object.keys(summary.bySection[0])).toEqual(["sectionId", ...FIGURE_KEYS]);
    expect(Object.keys(summary.byCriterion[0])).toEqual(["criterionId", ...FIGURE_KEYS]);
    expect(Object.keys(summary.byService[0])).toEqual(["serviceName", ...FIGURE_KEYS]);
  });

  it("keeps full precision in the percentages", async () => {
    const summary = await auditSummary(db, (await getAudit(db, auditId))!);
    expect(summary.overall.percent).toBe((100 * 11) / 15);
    expect(summary.byService[1].percent).toBe((100 * 5) / 7);
  });

  it("gives null percent, RAG and interval where nothing applies, and counts an audit with no cases as such", async () => {
    const empty = await createAudit("Empty audit");
    await scoredCase(empty, "N1", alpha, { voice: "na", chronology: "na", plan: "na" });
    const summary = await auditSummary(db, (await getAudit(db, empty))!);
    expect(summary.overall).toEqual({ met: 0, partial: 0, notMet: 0, na: 3, numerator: 0, denominator: 0, percent: null, rag: null, ciLow: null, ciHigh: null });
    expect(summary.byCriterion.map((c) => c.percent)).toEqual([null, null, null]);
  });
});

describe("the results page", () => {
  const url = () => `/audits/${auditId}/results`;

  it("gives every figure its interval and small-sample mark, and the criteria worst first", async () => {
    const res = await callLoader(resultsPage.loader, url(), { cookie: manager.cookie, params: { auditId: String(auditId) } });
    expect(res.status).toBe(200);
    const { rollup, worst } = res.data;
    expect(rollup.overall).toMatchObject({ ...EXPECTED.overall, applicableCases: 6, smallSample: true, unanswered: 1 });
    expect(rollup.byService[0]).toMatchObject({ ...EXPECTED.byService[0], applicableCases: 3, smallSample: true });
    expect(rollup.bySection[0]).toMatchObject({ title: "The record", applicableCases: 6 });
    // Plan applies to 4 of the 6 cases (n/a for A3, not answered for B3).
    expect(rollup.bySection[1]).toMatchObject({ title: "Planning", applicableCases: 4 });
    expect(worst.map((c: { criterionId: string; belowGreen: number }) => [c.criterionId, c.belowGreen])).toEqual([
      ["plan", 27.5],
      ["voice", 15],
      ["chronology", 10],
    ]);
  });

  it("shows beside each percentage its numerator / denominator, counts, interval and small-sample mark, and the worst criteria first", async () => {
    const res = await callLoader(resultsPage.loader, url(), { cookie: manager.cookie, params: { auditId: String(auditId) } });
    page.data = res.data;
    const html = renderToStaticMarkup(createElement(resultsPage.default));
    const text = (fragment: string) => fragment.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ").trim();
    const rowOf = (key: string) => text(html.match(new RegExp(`<tr[^>]*data-row="${key}"[^>]*>(.*?)</tr>`))![1]);
    expect(html).toMatch(/data-testid="overall-percent"[^>]*>73\.3%<\/p>/);
    expect(text(html.match(/data-testid="overall-interval"[^>]*>(.*?)<\/p>/)![1])).toBe("95% CI 48.0% to 89.1% Small sample : 6 applicable cases, fewer than 10");
    expect(rowOf(`service-${alpha}`)).toBe("Alpha service 75.0% 95% CI 40.9% to 92.9% Small sample : 3 applicable cases, fewer than 10 6 / 8 Amber 5 2 1 1");
    expect(rowOf("section-record")).toBe("The record 77.3% 95% CI 47.8% to 92.7% Small sample : 6 applicable cases, fewer than 10 8.5 / 11 Amber 8 1 2 1");
    expect(rowOf("criterion-plan")).toBe("Is there a health plan with named actions? 62.5% 95% CI 21.9% to 90.8% Small sample : 4 applicable cases, fewer than 10 2.5 / 4 Red 2 1 1 1");
    for (const caption of ["Worst criteria first", "Compliance by criterion", "Compliance by section", "Compliance by service"]) {
      expect(html).toContain(`<caption class="nhsuk-table__caption">${caption}</caption>`);
    }
    const worst = text(html.match(/<caption[^>]*>Worst criteria first<\/caption>(.*?)<\/table>/)![1]);
    expect(worst.indexOf("Is there a health plan")).toBeLessThan(worst.indexOf("Does the record show"));
    expect(worst.indexOf("Does the record show")).toBeLessThan(worst.indexOf("Is there an up-to-date chronology"));
    expect(rowOf("worst-plan")).toBe("1 Is there a health plan with named actions? 62.5% 27.5 points 95% CI 21.9% to 90.8% Small sample : 4 applicable cases, fewer than 10 2.5 / 4 Red 2 1 1");
  });

  it("folds the criteria at or above green away beneath the worst ones, ranks continuing", () => {
    const fig = (criterionId: string, percent: number) => ({
      criterionId,
      question: `Question ${criterionId}`,
      belowGreen: 90 - percent,
      percent,
      numerator: percent / 10,
      denominator: 10,
      rag: (percent >= 90 ? "green" : percent >= 75 ? "amber" : "red") as "green" | "amber" | "red",
      met: percent / 10,
      partial: 0,
      notMet: 10 - percent / 10,
      na: 0,
      ciLow: 0,
      ciHigh: 100,
      smallSample: false,
      applicableCases: 10,
    });
    const text = (h: string) => h.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
    const html = renderToStaticMarkup(createElement(WorstTable, { rows: [fig("a", 50), fig("b", 90), fig("c", 100)], green: 90 }));
    const [main, folded] = html.split("<details");
    expect(text(main)).toContain("1 Question a 50.0% 40.0 points");
    expect(main).not.toContain("Question b");
    expect(text(folded)).toContain("The 2 criteria at or above green (90%)");
    expect(text(folded)).toMatch(/2 Question b 90\.0% At or above .* 3 Question c 100\.0% At or above/);
    const allGreen = renderToStaticMarkup(createElement(WorstTable, { rows: [fig("c", 100)], green: 90 }));
    expect(text(allGreen)).toContain("Worst criteria first: every criterion with applicable cases is at or above green (90%).");
  });
});

describe("npm run cli -- audit-summary", () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await auditSummaryCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("prints the summary JSON with --json", async () => {
    const res = await run([String(auditId), "--json"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toEqual(EXPECTED);
  });

  it("prints a table to read without --json", async () => {
    const res = await run([String(auditId)]);
    expect(res.code).toBe(0);
    const line = (label: string) => res.out.split("\n").find((l) => l.startsWith(label)) ?? "";
    expect(res.out).toContain("Audit " + auditId + ": Roll-up audit Q1");
    expect(line("Overall  ")).toMatch(/^Overall\s+73\.3%\s+11 \/ 15\s+Red\s+10\s+2\s+3\s+2\s+95% CI 48\.0% to 89\.1%\s+Small sample$/);
    expect(line("The record")).toMatch(/77\.3%\s+8\.5 \/ 11\s+Amber\s+8\s+1\s+2\s+1\s+95% CI 47\.8% to 92\.7%/);
    expect(line("voice")).toMatch(/75\.0%\s+4\.5 \/ 6\s+Amber/);
    expect(line("Alpha service")).toMatch(/75\.0%\s+6 \/ 8\s+Amber/);
    expect(line("Beta service")).toMatch(/71\.4%\s+5 \/ 7\s+Red/);
  });

  it("exits non-zero with a clear message for an unknown audit, and 2 for bad usage", async () => {
    expect(await run(["99999", "--json"])).toMatchObject({ code: 1, out: "", err: "There is no audit 99999. The audit's number is in its page address: /audits/<id>" });
    expect((await run(["abc"])).code).toBe(1);
    const usage = await run([]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("Usage: npm run cli -- audit-summary <id> [--json]");
    expect((await run([String(auditId), "--csv"])).err).toMatch(/^Unknown option --csv/);
  });
});

describe("npm run cli -- audit-summary (as a separate process)", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
  const cli = (args: string[]) =>
    spawnSync(tsx, ["app/cli/main.ts", "audit-summary", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("prints the JSON for an audit and exits 1 with a message for an unknown one", () => {
    const good = cli([String(auditId), "--json"]);
    expect(good.status, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual(EXPECTED);

    const bad = cli(["99999", "--json"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("There is no audit 99999.");
  }, 120_000);
});
