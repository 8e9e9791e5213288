/**
 * Prints the one-line test summary CI reads, from vitest's JSON report (tests/.tmp/results.json):
 *
 *   N passed, N failed[, N skipped]
 *
 * A test file that failed without any failing test (it did not load, or a hook threw) counts as
 * one failure, and so does a run vitest itself marked unsuccessful. Usage:
 *
 *   tsx tests/setup/print-summary.ts [exit code of the test command]
 *
 * Given a non-zero exit code, at least one failure is reported. A missing or unreadable report
 * prints "0 passed, 1 failed". Exits 1 whenever anything failed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPORT = path.join(fileURLToPath(new URL("../..", import.meta.url)), "tests", ".tmp", "results.json");

interface JsonReport {
  success?: boolean;
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status?: string; name?: string; message?: string; assertionResults?: { status?: string }[] }[];
}

const num = (n: unknown) => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : 0);

function summarise(report: JsonReport, commandExitCode: number) {
  const passed = num(report.numPassedTests);
  let failed = num(report.numFailedTests);
  const skipped = num(report.numPendingTests) + num(report.numTodoTests);

  // Files that failed with no failing test in them: import errors, failing beforeAll/afterAll, …
  for (const file of report.testResults ?? []) {
    const anyTestFailed = (file.assertionResults ?? []).some((a) => a.status === "failed");
    if (file.status === "failed" && !anyTestFailed) {
      failed += 1;
      console.error(`Test file failed: ${file.name ?? "(unknown)"}${file.message ? ` — ${file.message}` : ""}`);
    }
  }
  if (failed === 0 && (report.success === false || commandExitCode !== 0)) failed = 1;
  return { passed, failed, skipped };
}

const exitArg = process.argv[2];
const commandExitCode = exitArg !== undefined && /^\d+$/.test(exitArg) ? Number(exitArg) : 0;

let report: JsonReport;
try {
  report = JSON.parse(readFileSync(REPORT, "utf8")) as JsonReport;
  if (typeof report !== "object" || report === null || typeof report.numPassedTests !== "number") {
    throw new Error("not a vitest JSON report");
  }
} catch (err) {
  console.error(`No usable test report at ${REPORT}: ${(err as Error).message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const { passed, failed, skipped } = summarise(report, commandExitCode);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
