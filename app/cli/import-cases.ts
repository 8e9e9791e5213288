/**
 * `npm run cli -- import-cases --audit <id> [--user <email>] [--pseudonymise-column <heading>]
 * [--valid-only] <file>`: the import page's import, for administrators who load lists on a
 * schedule. Same reading, checks and messages (app/models/case-import.server.ts); the columns
 * are the ones remembered from the last import to the audit's template, else found by their
 * headings. Problems go to stderr one per line; the exit code is 0 only when cases were imported.
 */
import { isAuditOpen } from "~/lib/audit-status";
import { findHeader } from "~/lib/case-list";
import { getAudit } from "~/models/audits.server";
import { importCaseList, importTargets, mappingProblems, suggestedMapping } from "~/models/case-import.server";
import { getDb } from "~/utils/db.server";
import { readArgs } from "./args";
import { actingUser, consoleIo, readListFile, type Io } from "./common";


export const IMPORT_CASES_USAGE = `Usage: npm run cli -- import-cases --audit <id> [--user <email>] [--pseudonymise-column <heading>] [--valid-only] <file>

  --audit <id>                    the audit to import the cases into (its number in the page address)
  --user <email>                  who is importing: an active administrator or auditor (default: the first active administrator)
  --pseudonymise-column <heading> the column of NHS numbers or other identifiers to make pseudonymous case references from
  --valid-only                    import the valid rows even when other rows have problems (default: import nothing unless every row is valid)
  <file>                          a CSV or Excel (.xlsx) file whose first row holds the column headings`;



type Options = { audit?: string; user?: string; pseudonymiseColumn?: string; validOnly: boolean; file?: string };

function parseCommandArgs(args: string[]): Options | string {
  const r = readArgs(args, { audit: { type: "string" }, user: { type: "string" }, "pseudonymise-column": { type: "string" }, "valid-only": { type: "boolean" } });
  if (typeof r === "string") return r;
  if (r.positionals.length > 1) return `Give one file only (got "${r.positionals[0]}" and "${r.positionals[1]}")`;
  const o: Options = { audit: r.values.audit, user: r.values.user, pseudonymiseColumn: r.values["pseudonymise-column"], validOnly: r.values["valid-only"] ?? false, file: r.positionals[0] };
  if (!o.audit) return "Give the audit with --audit <id>";
  if (!o.file) return "Give the case list file to import";
  return o;
}

/** Runs the command; returns the exit code. Leaves the database open (main.ts closes it). */
export async function importCasesCommand(args: string[], io: Io = consoleIo): Promise<number> {
  const options = parseCommandArgs(args);
  if (typeof options === "string") {
    io.err(`${options}.\n\n${IMPORT_CASES_USAGE}`);
    return 2;
  }
  const db = await getDb();

  const audit = /^\d+$/.test(options.audit!) ? await getAudit(db, Number(options.audit)) : undefined;
  if (!audit) {
    io.err(`There is no audit ${options.audit}. The audit's number is in its page address: /audits/<id>`);
    return 1;
  }
  if (!isAuditOpen(audit.status)) {
    io.err(`Audit ${audit.id} is complete, so no cases can be imported into it`);
    return 1;
  }

  const user = await actingUser(db, io, options.user, "manageSample", "import cases", "an active administrator or auditor");
  if (!user) return 1;

  const path = options.file!;
  const read = await readListFile(io, path);
  if (!read) return 1;
  const { table } = read;
  const file = { name: read.name };

  const mapping = await suggestedMapping(db, audit, table.headers);
  if (options.pseudonymiseColumn) {
    const heading = findHeader(table.headers, [options.pseudonymiseColumn]);
    if (!heading) {
      io.err(`${path}: there is no column called "${options.pseudonymiseColumn}". The columns are: ${table.headers.join(", ")}`);
      return 1;
    }
    mapping.caseRef = heading;
    mapping.pseudonymise = true;
  }
  const columnProblems = Object.values(mappingProblems(audit, table, mapping));
  if (columnProblems.length > 0) {
    for (const p of columnProblems) io.err(`${path}: ${p}`);
    const wanted = importTargets(audit).filter((t) => t.required).map((t) => t.label);
    io.err(
      `Choose the columns once on the audit's import page (they are remembered for the next import to this template), ` +
        `or give the file these column headings: ${wanted.join(", ")}. For a column of NHS numbers use --pseudonymise-column <heading>.`,
    );
    return 1;
  }

  const outcome = await importCaseList(db, user, audit, file, table, mapping, { validOnly: options.validOnly, via: "command line" });
  if (!outcome.ok) {
    for (const p of outcome.analysis.problems) io.err(p.text);
    const rejected = outcome.analysis.total - outcome.analysis.valid.length;
    io.err(
      outcome.reason === "nothing-valid"
        ? "Nothing was imported: no row can be imported."
        : `Nothing was imported: ${rejected} of ${outcome.analysis.total} rows have problems. Fix them, or use --valid-only to import the ${outcome.analysis.valid.length} valid rows.`,
    );
    return 1;
  }
  for (const p of outcome.problems) io.err(p.text);
  io.out(`Imported ${outcome.imported} ${outcome.imported === 1 ? "case" : "cases"} into audit ${audit.id}`);
  if (outcome.rejected > 0) io.out(`Left out ${outcome.rejected} ${outcome.rejected === 1 ? "row" : "rows"} with problems (listed above)`);
  return 0;
}
