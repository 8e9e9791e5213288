/**
 * `npm run bench [-- --sizes 10000,100000,1000000] [--runs 30]` (issue #5, Performance).
 *
 * For each size: a fresh temporary SQLite database under os.tmpdir(), the template library, an
 * administrator and a manager with a session, and realistic synthetic data from the
 * demonstration generator (app/models/demo-data.server.ts) scaled to about that many stored
 * answers (the actual count is printed). Then the server time of the route loaders themselves,
 * called as Remix calls them with the manager's session cookie:
 *   - the audit results page (audits.$auditId.results, on the audit with the most answers),
 *   - the trend page (templates.$key.trends for lac-iha),
 *   - the manager dashboard (dashboard.tsx),
 *   - compliance across audits by team, every template (results.tsx, `/results?group=team`),
 * median and 95th percentile of the warm runs (the first 3 are discarded); and the time to
 * import 10,000 historical answers (importHistoricalResults, from CSV bytes parsed as the
 * command line does). Peak RSS is sampled. Writes docs/benchmarks.md. Everything is local.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readCaseList } from "~/models/case-import.server";
import { generateDemoData } from "~/models/demo-data.server";
import { importHistoricalResults } from "~/models/history-import.server";
import { loadTemplates } from "~/models/templates.server";
import { latestTemplateVersion } from "~/models/trends.server";
import { createFirstAdministrator } from "~/models/users.server";
import { allCriteria } from "~/schemas/template";
import { closeDb, getDb, type Db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { createSession, SESSION_COOKIE } from "~/utils/session.server";
import { nowIso } from "~/utils/time.server";
import { median, ms, parseBenchArgs, percentile, thousands, warmRuns } from "./bench-stats";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const DOC = path.join(root, "docs/benchmarks.md");
const TEMPLATES = ["lac-iha", "lac-rha", "hv-school-nursing", "maternity"];
const IMPORT_ANSWERS = 10_000;
const TARGET_MS = 100;
const TARGET_SIZE = 1_000_000;
/** A size is skipped when generating it would take longer than this (projected from the size before). */
const GENERATION_BUDGET_S = 360;
const WARM_DISCARD = 3;
/** A page stops early (after at least WARM_DISCARD + 5 runs) once its runs have taken this long, to bound the total time. */
const PAGE_BUDGET_MS = 90_000;

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;
type PageResult = { median: number; p95: number; status: number; runs: number };
type SizeResult = {
  target: number;
  answers: number;
  cases: number;
  audits: number;
  quartersBack: number;
  casesPerAudit: number;
  generateS: number;
  largestAudit: { id: number; answers: number };
  pages: Record<"results" | "trends" | "dashboard" | "acrossAudits", PageResult>;
  importMs: number | null;
  importNote: string;
  peakRssMb: number;
};

// --- Peak RSS: sampled on a timer (between awaits) and at every checkpoint.
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 25);
sampler.unref();

/** Calls a loader the way Remix does and returns the status (a thrown Response counts too). */
async function callLoader(loader: Loader, url: string, cookie: string, params: Record<string, string>): Promise<number> {
  const request = new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
  let out: unknown;
  try {
    out = await loader({ request, params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    out = thrown;
  }
  if (out instanceof Response) return out.status;
  if (out && typeof out === "object" && (out as { type?: string }).type === "DataWithResponseInit") return (out as { init?: { status?: number } }).init?.status ?? 200;
  return 200;
}

async function timePage(loader: Loader, url: string, cookie: string, params: Record<string, string>, runs: number): Promise<PageResult> {
  const times: number[] = [];
  let status = 200;
  const began = performance.now();
  for (let i = 0; i < runs; i++) {
    if (i >= WARM_DISCARD + 5 && performance.now() - began > PAGE_BUDGET_MS) break;
    const t0 = performance.now();
    const s = await callLoader(loader, url, cookie, params);
    times.push(performance.now() - t0);
    sampleRss();
    if (s !== 200) status = s;
  }
  if (status !== 200) throw new Error(`${url} answered ${status}, not 200: the benchmark would measure an error page`);
  const warm = warmRuns(times, WARM_DISCARD);
  return { median: median(warm), p95: percentile(warm, 95), status, runs: warm.length };
}

async function count(db: Db, table: "answers" | "cases" | "audits"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A fresh migrated database under os.tmpdir() with the templates, an administrator and a manager session. */
async function freshDb() {
  await closeDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sca-bench-"));
  process.env.DATABASE_URL = path.join(dir, "bench.db");
  const db = await getDb(); // migrateToLatest (db/client.ts)
  const loaded = await loadTemplates(db);
  if (loaded.problems.length) throw new Error(`The audit templates have problems: ${loaded.problems.map((p) => p.message ?? String(p)).join("; ")}`);
  const admin = await createFirstAdministrator(db, { name: "Bench Administrator", email: "bench-admin@example.nhs.uk", password: "correct horse battery staple" });
  if (!admin) throw new Error("Could not create the administrator");
  const now = nowIso();
  const manager = await db
    .insertInto("users")
    .values({
      email: "bench-manager@example.nhs.uk",
      name: "Bench Manager",
      role: "manager",
      password_hash: await hashPassword("correct horse battery staple"),
      disabled_at: null,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const cookie = `${SESSION_COOKIE}=${await createSession(db, manager.id)}`;
  return {
    db,
    actor: { id: admin.id, email: admin.email },
    cookie,
    cleanup: async () => {
      await closeDb();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Answers per generated case, measured on a small generation (the templates differ in size). */
async function answersPerCase(): Promise<number> {
  const env = await freshDb();
  try {
    const c = await generateDemoData(env.db, env.actor, { seed: "bench-calibration", quartersBack: 2, casesPerAudit: 40, templates: TEMPLATES });
    return c.answers / c.cases;
  } finally {
    await env.cleanup();
  }
}

/** Quarters grow with the size (2, 3 and 5 years), cases per audit make up the rest. */
function plan(target: number, perCase: number) {
  const quartersBack = target <= 20_000 ? 8 : target <= 200_000 ? 12 : 20;
  const casesPerAudit = Math.max(1, Math.round(target / (perCase * quartersBack * TEMPLATES.length)));
  return { quartersBack, casesPerAudit };
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** 10,000 long-format rows for lac-iha (the demonstration services and teams), as CSV bytes. */
async function historicalCsv(db: Db): Promise<{ bytes: Uint8Array; template: string }> {
  const tv = await latestTemplateVersion(db, "lac-iha");
  if (!tv) throw new Error("There is no template lac-iha");
  const services = await db
    .selectFrom("services")
    .innerJoin("teams", "teams.service_id", "services.id")
    .select(["services.name as service", "teams.name as team"])
    .where("services.name", "in", ["Community paediatrics", "Looked after children's health: North", "Looked after children's health: South"])
    .orderBy("services.id")
    .orderBy("teams.id")
    .execute();
  if (!services.length) throw new Error("The demonstration services for lac-iha are missing");
  const criteria = allCriteria(tv.template);
  const lines = [["case_ref", "service", "team", "case_type", "criterion_id", "answer", "note"].join(",")];
  let rows = 0;
  for (let caseNo = 1; rows < IMPORT_ANSWERS; caseNo++) {
    const where = services[caseNo % services.length];
    for (const [ci, c] of criteria.entries()) {
      if (rows >= IMPORT_ANSWERS) break;
      const allowed = c.answers ?? tv.template.answers;
      const pick = (caseNo * 7 + ci * 3) % 10; // deterministic mix, mostly met
      const answer = pick < 7 && allowed.includes("met") ? "met" : pick < 9 && allowed.includes("partial") ? "partial" : allowed.includes("not_met") ? "not_met" : allowed[0];
      const note = answer === "met" ? "" : "Historical note: not fully recorded.";
      lines.push([`HIST-${String(caseNo).padStart(5, "0")}`, where.service, where.team, tv.template.caseTypes[0], c.id, answer, note].map(csvCell).join(","));
      rows++;
    }
  }
  return { bytes: new TextEncoder().encode(`${lines.join("\r\n")}\r\n`), template: `${tv.key}@${tv.version}` };
}

async function importTime(db: Db, actor: { id: number; email: string }): Promise<{ ms: number | null; note: string }> {
  const { bytes, template } = await historicalCsv(db);
  const table = await readCaseList({ name: "bench-history.csv", bytes }, Math.max(bytes.length + 1, 10 * 1024 * 1024));
  if (!table.ok) return { ms: null, note: `the CSV could not be read: ${table.message}` };
  const t0 = performance.now();
  const outcome = await importHistoricalResults(db, actor, table, { template, title: "Benchmark historical import", period: "01/04/2020..30/06/2020", fileName: "bench-history.csv" });
  const elapsed = performance.now() - t0;
  sampleRss();
  if (!outcome.ok) return { ms: null, note: `refused: ${outcome.problems.slice(0, 3).join("; ")}` };
  return { ms: elapsed, note: `${thousands(outcome.answers)} answers in ${thousands(outcome.cases)} cases` };
}

async function runSize(target: number, perCase: number, runs: number): Promise<SizeResult> {
  peakRss = 0;
  sampleRss();
  const { quartersBack, casesPerAudit } = plan(target, perCase);
  const env = await freshDb();
  try {
    const { db, actor, cookie } = env;
    const t0 = performance.now();
    await generateDemoData(db, actor, { seed: "bench", quartersBack, casesPerAudit, templates: TEMPLATES });
    const generateS = (performance.now() - t0) / 1000;
    const answers = await count(db, "answers");
    const cases = await count(db, "cases");
    const audits = await count(db, "audits");
    console.log(`  generated ${thousands(answers)} answers, ${thousands(cases)} cases, ${audits} audits in ${generateS.toFixed(1)} s (${quartersBack} quarters, ${casesPerAudit} cases per audit)`);

    const largest = await db
      .selectFrom("answers")
      .innerJoin("cases", "cases.id", "answers.case_id")
      .select(["cases.audit_id as id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("cases.audit_id")
      .orderBy("n", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const largestAudit = { id: Number(largest.id), answers: Number(largest.n) };

    const results = (await import("~/routes/audits.$auditId.results")).loader as Loader;
    const trends = (await import("~/routes/templates.$key.trends")).loader as Loader;
    const dashboard = (await import("~/routes/dashboard")).loader as Loader;
    const acrossAudits = (await import("~/routes/results")).loader as Loader;

    const pages = {
      results: await timePage(results, `/audits/${largestAudit.id}/results`, cookie, { auditId: String(largestAudit.id) }, runs),
      trends: await timePage(trends, "/templates/lac-iha/trends", cookie, { key: "lac-iha" }, runs),
      dashboard: await timePage(dashboard, "/dashboard", cookie, {}, runs),
      acrossAudits: await timePage(acrossAudits, "/results?group=team", cookie, {}, runs),
    };
    for (const [name, p] of Object.entries(pages)) console.log(`  ${name}: median ${ms(p.median)} ms, p95 ${ms(p.p95)} ms (${p.runs} warm runs)`);

    const imp = await importTime(db, actor);
    console.log(`  import of ${thousands(IMPORT_ANSWERS)} historical answers: ${imp.ms === null ? imp.note : `${ms(imp.ms)} ms (${imp.note})`}`);
    sampleRss();
    return { target, answers, cases, audits, quartersBack, casesPerAudit, generateS, largestAudit, pages, importMs: imp.ms, importNote: imp.note, peakRssMb: peakRss / 1024 / 1024 };
  } finally {
    await env.cleanup();
  }
}


function markdown(results: SizeResult[], skipped: { target: number; reason: string }[], runs: number, totalS: number): string {
  const cpus = os.cpus();
  const date = new Date().toISOString().slice(0, 10);
  const at = results.find((r) => r.target === TARGET_SIZE);
  const largest = results[results.length - 1];
  let verdict: string;
  if (!at) verdict = `**Not measured**: the ${thousands(TARGET_SIZE)}-answer size was not reached in this run (largest size reached: ${largest ? thousands(largest.answers) : "none"} answers).`;
  else verdict = at.pages.dashboard.median < TARGET_MS ? `**Met**: ${ms(at.pages.dashboard.median)} ms median at ${thousands(at.answers)} answers.` : `**Not met**: ${ms(at.pages.dashboard.median)} ms median at ${thousands(at.answers)} answers.`;

  const rows = results.map(
    (r) =>
      `| ${thousands(r.answers)} | ${thousands(r.cases)} / ${r.audits} | ${ms(r.pages.results.median)} | ${ms(r.pages.results.p95)} | ${ms(r.pages.dashboard.median)} | ${ms(r.pages.dashboard.p95)} | ${ms(r.pages.trends.median)} | ${ms(r.pages.trends.p95)} | ${ms(r.pages.acrossAudits.median)} | ${ms(r.pages.acrossAudits.p95)} | ${r.importMs === null ? `failed (${r.importNote})` : ms(r.importMs)} | ${r.peakRssMb.toFixed(0)} | ${r.generateS.toFixed(1)} |`,
  );
  const details = results.map(
    (r) =>
      `- Target ${thousands(r.target)}: warm runs measured: results ${r.pages.results.runs}, dashboard ${r.pages.dashboard.runs}, trends ${r.pages.trends.runs}, across audits ${r.pages.acrossAudits.runs}; ${r.quartersBack} quarterly audits of each of ${TEMPLATES.length} templates (${TEMPLATES.join(", ")}), ${r.casesPerAudit} cases per audit; results page measured on audit ${r.largestAudit.id} (${thousands(r.largestAudit.answers)} answers); import: ${r.importNote}.`,
  );
  return `# Benchmarks

Produced by \`npm run bench\` (app/cli/bench.ts) on ${date}. Re-run it to refresh this file.

**Target** (issue #5): the manager dashboard under ${TARGET_MS} ms median at ${thousands(TARGET_SIZE)} stored answers on a 2-core machine, growing with the number of groups shown rather than the number of answers stored.

**Result**: ${verdict}

## Machine

- CPUs: ${cpus.length} × ${cpus[0]?.model?.trim() ?? "unknown"}
- Memory: ${thousands(os.totalmem() / 1024 / 1024)} MB
- Node.js ${process.version} on ${os.platform()} ${os.release()}
- Database: SQLite (better-sqlite3), a fresh file under the system temporary folder for each size

## Server time per page (milliseconds)

Median and 95th percentile of the warm runs (${runs} runs, the first ${WARM_DISCARD} discarded; a page stops early, after at least ${WARM_DISCARD + 5} runs, once its runs have taken ${PAGE_BUDGET_MS / 1000} s: the count of warm runs is listed below the table), timed around the route's loader called with a signed-in manager's session cookie (no network, no HTML rendering). Import: one run of \`importHistoricalResults\` with ${thousands(IMPORT_ANSWERS)} answers (lac-iha, CSV parsed beforehand).

| Stored answers | Cases / audits | Results median | Results p95 | Dashboard median | Dashboard p95 | Trends median | Trends p95 | Across audits median | Across audits p95 | Import ${thousands(IMPORT_ANSWERS)} answers | Peak RSS (MB) | Generation (s) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

- Results: \`/audits/<id>/results\` on the audit with the most answers (scored from its answers). Trends: \`/templates/lac-iha/trends\` (all services). Dashboard: \`/dashboard\`. Across audits: \`/results?group=team\` (every template, every period).
- How the cross-audit pages stay fast: when an audit is completed (or closed, reopened, moderated, imported), its answers are tallied once into small stored rows per service × team × case type and per service × criterion (app/models/stored-results.server.ts); the dashboard, trend and across-audits pages sum those rows, so their time grows with the audits and groups shown, not with the answers stored.
- Peak RSS: the process's resident memory, sampled every 25 ms and after every measured call, during that size (generation included).
${[...details, ...skipped.map((s) => `- **Not reached: ${thousands(s.target)} answers.** ${s.reason}`)].join("\n")}

Total benchmark time: ${(totalS / 60).toFixed(1)} minutes.
`;
}

async function main() {
  const options = parseBenchArgs(process.argv.slice(2));
  if (typeof options === "string") {
    console.error(options);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  console.log("Calibrating the generator…");
  const perCase = await answersPerCase();
  console.log(`  ${perCase.toFixed(2)} answers per case on average`);
  const results: SizeResult[] = [];
  const skipped: { target: number; reason: string }[] = [];
  for (const target of [...options.sizes].sort((a, b) => a - b)) {
    const prev = results[results.length - 1];
    if (prev) {
      const projected = (target / prev.answers) * prev.generateS;
      if (projected > GENERATION_BUDGET_S) {
        const reason = `Generating it was projected to take about ${Math.round(projected)} s here (from ${prev.generateS.toFixed(1)} s for ${thousands(prev.answers)} answers), over the ${GENERATION_BUDGET_S} s budget that keeps the benchmark under about 10 minutes; the largest size reached is ${thousands(prev.answers)} answers.`;
        console.log(`Skipping ${thousands(target)}: ${reason}`);
        skipped.push({ target, reason });
        continue;
      }
    }
    console.log(`Size ${thousands(target)} answers…`);
    results.push(await runSize(target, perCase, options.runs));
  }
  const totalS = (performance.now() - started) / 1000;
  fs.mkdirSync(path.dirname(DOC), { recursive: true });
  fs.writeFileSync(DOC, markdown(results, skipped, options.runs, totalS));
  console.log(`Wrote ${path.relative(process.cwd(), DOC)} (${(totalS / 60).toFixed(1)} minutes in all).`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
