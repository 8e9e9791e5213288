/**
 * `npm run cli -- audit-summary <id> [--json]`: an audit's roll-up. With --json, the summary
 * JSON (`{ overall, bySection, byCriterion, byService }`, percentages 0–100 at full precision);
 * without, a table to read (one decimal place). Exit code 1 for an unknown audit, 2 for bad usage.
 */
import { readArgs } from "./args";
import { formatInterval, formatNumerator, type FigureWithConfidence } from "~/lib/rollup-figures";
import { RAG_LABELS, formatPercent } from "~/lib/scoring";
import { getAudit } from "~/models/audits.server";
import { auditFigures, auditSummary } from "~/models/summary.server";
import { getDb } from "~/utils/db.server";
import { consoleIo, type Io } from "./common";

export const AUDIT_SUMMARY_USAGE = `Usage: npm run cli -- audit-summary <id> [--json]

  <id>    the audit (its number in the page address: /audits/<id>)
  --json  print the summary as JSON (percentages 0–100, full precision) instead of a table`;


function parseCommandArgs(args: string[]): { id: string; json: boolean } | string {
  const r = readArgs(args, { json: { type: "boolean" } });
  if (typeof r === "string") return r;
  if (r.positionals.length > 1) return `Give one audit only (got "${r.positionals[0]}" and "${r.positionals[1]}")`;
  if (r.positionals.length === 0) return "Give the audit's number";
  return { id: r.positionals[0], json: r.values.json ?? false };
}

function row(label: string, f: FigureWithConfidence): string[] {
  return [
    label,
    formatPercent(f.percent),
    `${formatNumerator(f.numerator)} / ${f.denominator}`,
    f.rag ? RAG_LABELS[f.rag] : "-",
    String(f.met),
    String(f.partial),
    String(f.notMet),
    String(f.na),
    formatInterval(f) || "-",
    f.denominator > 0 && f.smallSample ? "Small sample" : "",
  ];
}

const HEADINGS = ["Compliance", "Num / den", "RAG", "Met", "Partial", "Not met", "N/A", "95% confidence interval", ""];

/** Columns padded to line up; numbers right-aligned. */
function table(title: string, firstHeading: string, rows: string[][]): string {
  const all = [[firstHeading, ...HEADINGS], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const right = new Set([1, 2, 4, 5, 6, 7]);
  const line = (r: string[]) =>
    r
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [title, line(all[0]), ...rows.map(line)].join("\n");
}

/** Runs the command; returns the exit code. Leaves the database open (main.ts closes it). */
export async function auditSummaryCommand(args: string[], io: Io = consoleIo): Promise<number> {
  const options = parseCommandArgs(args);
  if (typeof options === "string") {
    io.err(`${options}.\n\n${AUDIT_SUMMARY_USAGE}`);
    return 2;
  }
  const db = await getDb();
  const audit = /^\d+$/.test(options.id) ? await getAudit(db, Number(options.id)) : undefined;
  if (!audit) {
    io.err(`There is no audit ${options.id}. The audit's number is in its page address: /audits/<id>`);
    return 1;
  }
  if (options.json) {
    io.out(JSON.stringify(await auditSummary(db, audit), null, 2));
    return 0;
  }
  const { rollup, caseCount, asOf } = await auditFigures(db, audit);
  io.out(
    [
      `Audit ${audit.id}: ${audit.title}`,
      `${audit.template.title}, version ${audit.templateVersion}. ${caseCount} ${caseCount === 1 ? "case" : "cases"} scored; date rules judged as of ${asOf}.`,
      `Small sample: fewer than 10 applicable cases.`,
      "",
      table("Overall", "", [row("Overall", rollup.overall)]),
      "",
      table("By section", "Section", rollup.bySection.map((s) => row(s.title, s))),
      "",
      table("By criterion", "Criterion", rollup.byCriterion.map((c) => row(c.criterionId, c))),
      "",
      table("By service", "Service", rollup.byService.map((s) => row(s.serviceName, s))),
    ].join("\n"),
  );
  return 0;
}
