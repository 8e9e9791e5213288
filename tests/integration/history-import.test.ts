/**
 * Importing historical results (issue 5): `npm run cli -- import-results`.
 *
 * Template (inline below): partial credit 0.5, green 90 / amber 75; criteria voice and plan
 * (answered by the auditor) and seen-on-time (a date rule: seen within 1 month of referral).
 * tests/fixtures/history/history-good.csv, by hand:
 *
 *   case   service  voice    plan     seen-on-time (rule, answered in the file)
 *   H-001  Alpha    met      partial  met
 *   H-002  Alpha    not met  met      not met
 *   H-003  Beta     met      n/a      met
 *
 *   voice         2 met, 1 not met            → 2 / 3     = 66.67%  red
 *   plan          1 met, 1 partial, 1 n/a     → 1.5 / 2   = 75.0%   amber
 *   seen-on-time  2 met, 1 not met            → 2 / 3     = 66.67%  red
 *   overall       5 met, 1 partial, 2 not met, 1 n/a → 5.5 / 8 = 68.75% red
 *   Alpha         3 met, 1 partial, 2 not met → 3.5 / 6   = 58.33%  red
 *   Beta          2 met, 1 n/a                → 2 / 2     = 100%    green
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importResultsCommand } from "~/cli/import-results";
import { getAudit } from "~/models/audits.server";
import { IMPORTED_REASON } from "~/models/history-import.server";
import { auditSummary } from "~/models/summary.server";
import type { Db } from "~/utils/db.server";
import { userWithSession, useTempDb } from "./helpers";
import { historyFixture, setUpHistoryWorld } from "./history-fixtures";

const fixture = historyFixture;
const GOOD = fixture("history-good.csv");
const PROBLEMS = fixture("history-problems.csv");
const NEW_SERVICE = fixture("history-new-service.csv");

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importResultsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const base = (file: string, extra: string[] = []) => [file, "--template", "history-fixture@1", "--title", "LAC audit Q1 2024", "--period", "01/01/2024..31/03/2024", ...extra];

async function counts() {
  const n = async (t: "audits" | "cases" | "answers" | "agreed_answers" | "services" | "teams" | "providers" | "audit_log") =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return {
    audits: await n("audits"),
    cases: await n("cases"),
    answers: await n("answers"),
    agreed: await n("agreed_answers"),
    services: await n("services"),
    teams: await n("teams"),
    providers: await n("providers"),
    log: await n("audit_log"),
  };
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  await setUpHistoryWorld(db);
  await userWithSession(db, "administrator");
});

afterAll(async () => env.cleanup());

describe("import-results: a good file", () => {
  let auditId: number;
  beforeAll(async () => {
    const result = await run(base(GOOD));
    expect(result.code, result.err).toBe(0);
    auditId = Number(result.out);
    expect(auditId).toBeGreaterThan(0);
  });

  it("creates a complete audit with the template version, period, services in the file and cases in the sample", async () => {
    const audit = (await getAudit(db, auditId))!;
    expect(audit).toMatchObject({ title: "LAC audit Q1 2024", status: "complete", period_start: "2024-01-01", period_end: "2024-03-31", templateKey: "history-fixture", templateVersion: 1 });
    expect(audit.completed_at!.slice(0, 10)).toBe("2024-03-31");
    expect(audit.services.map((s) => s.name)).toEqual(["Alpha", "Beta"]);
    const cases = await db.selectFrom("cases").innerJoin("services", "services.id", "cases.service_id").leftJoin("teams", "teams.id", "cases.team_id")
      .select(["case_ref", "in_sample", "services.name as service", "teams.name as team", "fields"]).where("audit_id", "=", auditId).orderBy("case_ref").execute();
    expect(cases).toEqual([
      { case_ref: "H-001", in_sample: 1, service: "Alpha", team: "North", fields: JSON.stringify({ date_of_birth: "2015-02-01", referral: null, seen: null }) },
      { case_ref: "H-002", in_sample: 1, service: "Alpha", team: null, fields: expect.any(String) },
      { case_ref: "H-003", in_sample: 1, service: "Beta", team: null, fields: expect.any(String) },
    ]);
    const note = await db.selectFrom("answers").innerJoin("cases", "cases.id", "answers.case_id").select(["answers.note"]).where("cases.case_ref", "=", "H-001").where("answers.criterion_id", "=", "plan").executeTakeFirstOrThrow();
    expect(note.note).toBe("Plan has no dates");
  });

  it("stores the date-rule answers from the file as agreed answers with the import reason", async () => {
    const agreed = await db.selectFrom("agreed_answers").innerJoin("cases", "cases.id", "agreed_answers.case_id")
      .select(["cases.case_ref", "agreed_answers.criterion_id", "agreed_answers.answer", "agreed_answers.reason"]).where("cases.audit_id", "=", auditId).orderBy("cases.case_ref").execute();
    expect(agreed).toEqual([
      { case_ref: "H-001", criterion_id: "seen-on-time", answer: "met", reason: IMPORTED_REASON },
      { case_ref: "H-002", criterion_id: "seen-on-time", answer: "not_met", reason: IMPORTED_REASON },
      { case_ref: "H-003", criterion_id: "seen-on-time", answer: "met", reason: IMPORTED_REASON },
    ]);
  });

  it("logs one import-results event with the counts", async () => {
    const events = await db.selectFrom("audit_log").selectAll().where("action", "=", "import-results").execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entity: "audit", entity_id: String(auditId) });
    expect(JSON.parse(events[0].after!)).toMatchObject({ rows: 9, cases: 3, answers: 9, ruleAnswers: 3, services: ["Alpha", "Beta"], template: "history-fixture@1" });
  });

  it("gives the hand-computed figures for the auditor-answered criteria and the services", async () => {
    const summary = await auditSummary(db, (await getAudit(db, auditId))!);
    const voice = summary.byCriterion.find((c) => c.criterionId === "voice")!;
    const plan = summary.byCriterion.find((c) => c.criterionId === "plan")!;
    expect(voice).toMatchObject({ met: 2, partial: 0, notMet: 1, na: 0, numerator: 2, denominator: 3, rag: "red" });
    expect(voice.percent).toBeCloseTo(66.6667, 3);
    expect(plan).toMatchObject({ met: 1, partial: 1, notMet: 0, na: 1, numerator: 1.5, denominator: 2, percent: 75, rag: "amber" });
    expect(summary.bySection.find((s) => s.sectionId === "record")).toMatchObject({ met: 3, partial: 1, notMet: 1, na: 1, numerator: 3.5, denominator: 5 });
  });

  // The file's answer stands for a date-rule criterion even though the case's dates are blank
  // (it is stored as a settled answer, which scoring lets stand).
  it("counts the date-rule criterion as answered in the file (overall, per criterion, per service)", async () => {
    const summary = await auditSummary(db, (await getAudit(db, auditId))!);
    expect(summary.byCriterion.find((c) => c.criterionId === "seen-on-time")).toMatchObject({ met: 2, notMet: 1, numerator: 2, denominator: 3, rag: "red" });
    expect(summary.overall).toMatchObject({ met: 5, partial: 1, notMet: 2, na: 1, numerator: 5.5, denominator: 8, percent: 68.75, rag: "red" });
    expect(summary.byService).toEqual([
      expect.objectContaining({ serviceName: "Alpha", met: 3, partial: 1, notMet: 2, numerator: 3.5, denominator: 6 }),
      expect.objectContaining({ serviceName: "Beta", met: 2, na: 1, numerator: 2, denominator: 2, percent: 100, rag: "green" }),
    ]);
  });
});

describe("import-results: problems", () => {
  let before: Awaited<ReturnType<typeof counts>>;
  beforeEach(async () => {
    before = await counts();
  });

  it("lists every problem in the file with its line, and writes nothing", async () => {
    const result = await run(base(PROBLEMS));
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    const lines = result.err.split("\n");
    expect(lines).toContain("Line 3, criterion_id: nosuch is not a criterion of history-fixture version 1. Use one of: voice, plan, seen-on-time");
    expect(lines).toContain("Line 4, answer: maybe is not an answer. Use one of: met, partial, not_met, na");
    expect(lines).toContain("Line 5: case H-010 already has an answer to criterion voice on line 2. Give each case one row per criterion");
    expect(lines).toContain('Line 6, service: Gamma is not a service in this app. Add it under the organisation first, or import with --create-missing --provider "<name>"');
    expect(lines).toContain("Line 7, answer: partial is not an answer criterion seen-on-time allows. Use one of: met, not_met");
    expect(lines).toContain("Line 8, case_ref: case reference must include at least one number. Do not enter a child's name");
    expect(lines).toContain("Line 9, date_of_birth: 31/02/2015 is not a real date");
    expect(lines.at(-1)).toBe("Nothing was imported: 7 problems (listed above).");
    expect(await counts()).toEqual(before);
  });

  it("refuses a bad period, an unknown template version and an unknown template", async () => {
    const backwards = await run([GOOD, "--template", "history-fixture@1", "--title", "T", "--period", "31/03/2024..01/01/2024"]);
    expect(backwards).toMatchObject({ code: 1, out: "" });
    expect(backwards.err).toContain("Period end must be the same as or after the period start");
    const notADate = await run([GOOD, "--template", "history-fixture@1", "--title", "T", "--period", "31/02/2024..31/03/2024"]);
    expect(notADate.err).toContain("Period start 31/02/2024 is not a real date");
    const noDots = await run([GOOD, "--template", "history-fixture@1", "--title", "T", "--period", "2024"]);
    expect(noDots.err).toContain("Period must be given as <start>..<end>");
    const future = await run([GOOD, "--template", "history-fixture@1", "--title", "T", "--period", "01/01/2024..01/01/2099"]);
    expect(future.err).toContain("Period end must be today or in the past");

    const version = await run([GOOD, "--template", "history-fixture@7", "--title", "T", "--period", "01/01/2024..31/03/2024"]);
    expect(version).toMatchObject({ code: 1, out: "" });
    expect(version.err).toContain("Template history-fixture has no version 7. Its versions are: 1");
    const unknown = await run([GOOD, "--template", "nope@1", "--title", "T", "--period", "01/01/2024..31/03/2024"]);
    expect(unknown.err).toContain("There is no template nope.");
    const malformed = await run([GOOD, "--template", "history-fixture", "--title", "T", "--period", "01/01/2024..31/03/2024"]);
    expect(malformed.err).toContain("Template must be given as <key>@<version>");
    expect(await counts()).toEqual(before);
  });

  it("exits 2 with the usage when an option is missing", async () => {
    const result = await run([GOOD, "--template", "history-fixture@1"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("Give the audit's title");
    expect(result.err).toContain("Usage: npm run cli -- import-results");
  });
});

describe("import-results --create-missing", () => {
  it("needs --provider", async () => {
    const result = await run(base(NEW_SERVICE, ["--create-missing"]));
    expect(result.code).toBe(1);
    expect(result.err).toContain('Give the provider to create missing services under with --provider "<name>"');
  });

  it("creates the missing provider, service and team, and the audit", async () => {
    const before = await counts();
    const result = await run(base(NEW_SERVICE, ["--create-missing", "--provider", "New Trust"]));
    expect(result.code, result.err).toBe(0);
    const audit = (await getAudit(db, Number(result.out)))!;
    expect(audit.services).toEqual([expect.objectContaining({ name: "Gamma", provider_name: "New Trust" })]);
    expect(audit.teams.map((t) => t.name)).toEqual(["East"]);
    expect(await counts()).toMatchObject({ providers: before.providers + 1, services: before.services + 1, teams: before.teams + 1, audits: before.audits + 1, cases: before.cases + 2, answers: before.answers + 3, agreed: before.agreed });
    const summary = await auditSummary(db, audit);
    expect(summary.overall).toMatchObject({ met: 1, partial: 1, notMet: 1, numerator: 1.5, denominator: 3 });
  });
});

describe("npm run cli -- import-results (as a separate process)", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
  const cli = (args: string[]) =>
    spawnSync(tsx, ["app/cli/main.ts", "import-results", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL }, encoding: "utf8", timeout: 60_000 });

  it("exits non-zero with the problems, and zero with the new audit's id", async () => {
    expect(fs.existsSync(tsx)).toBe(true);
    const bad = cli(base(PROBLEMS));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("Line 3, criterion_id: nosuch is not a criterion");

    const good = cli(base(GOOD, ["--title", "From the command line"]));
    expect(good.status, good.stderr).toBe(0);
    const id = Number(good.stdout.trim());
    expect((await getAudit(db, id))!).toMatchObject({ title: "From the command line", status: "complete" });
  }, 120_000);
});
