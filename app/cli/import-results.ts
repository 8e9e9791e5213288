/**
 * `npm run cli -- import-results <file.csv> --template <key>@<version> --title "<title>"
 * --period <start>..<end> [--create-missing --provider "<name>"] [--user <email>]`: makes a
 * completed audit from historical results (app/models/history-import.server.ts) and prints its
 * id. Every problem goes to stderr, one per line; nothing is written unless the whole file is good.
 */
import { readArgs } from "./args";
import { importHistoricalResults } from "~/models/history-import.server";
import { getDb } from "~/utils/db.server";
import { actingUser, consoleIo, readListFile, type Io } from "./common";

export const IMPORT_RESULTS_USAGE = `Usage: npm run cli -- import-results <file.csv> --template <key>@<version> --title "<title>" --period <start>..<end> [--create-missing --provider "<name>"] [--user <email>]

  <file.csv>          one row per case and criterion: case_ref, service, team, case_type, criterion_id, answer, note,
                      plus any of the template's case fields (optional); answer is met, partial, not_met or na
  --template          the template version the audit used, for example lac-iha@1
  --title             the audit's title
  --period            the audit's period, for example 01/04/2024..30/06/2024
  --create-missing    create services and teams that are not in the app yet, under --provider (created if needed)
  --provider <name>   the provider for --create-missing
  --user <email>      who is importing: an active administrator (default: the first active administrator)`;


type Options = { file?: string; template?: string; title?: string; period?: string; createMissing: boolean; provider?: string; user?: string };

function parseCommandArgs(args: string[]): Options | string {
  const r = readArgs(args, {
    template: { type: "string" },
    title: { type: "string" },
    period: { type: "string" },
    provider: { type: "string" },
    user: { type: "string" },
    "create-missing": { type: "boolean" },
  });
  if (typeof r === "string") return r;
  if (r.positionals.length > 1) return `Give one file only (got "${r.positionals[0]}" and "${r.positionals[1]}")`;
  const o: Options = { ...r.values, createMissing: r.values["create-missing"] ?? false, file: r.positionals[0] };
  if (!o.file) return "Give the file of results to import";
  if (!o.template) return "Give the template version with --template <key>@<version>";
  if (o.title === undefined) return 'Give the audit\'s title with --title "<title>"';
  if (!o.period) return "Give the audit's period with --period <start>..<end>";
  return o;
}

/** Runs the command; returns the exit code. Leaves the database open (main.ts closes it). */
export async function importResultsCommand(args: string[], io: Io = consoleIo): Promise<number> {
  const options = parseCommandArgs(args);
  if (typeof options === "string") {
    io.err(`${options}.\n\n${IMPORT_RESULTS_USAGE}`);
    return 2;
  }
  const db = await getDb();

  const user = await actingUser(db, io, options.user, "manageOrganisation", "import historical results", "an active administrator");
  if (!user) return 1;

  const path = options.file!;
  const read = await readListFile(io, path);
  if (!read) return 1;
  const { name, table } = read;

  const outcome = await importHistoricalResults(db, user, table, {
    template: options.template!,
    title: options.title!,
    period: options.period!,
    createMissing: options.createMissing,
    provider: options.provider,
    fileName: name,
    via: "command line",
  });
  if (!outcome.ok) {
    for (const p of outcome.problems) io.err(p);
    io.err(`Nothing was imported: ${outcome.problems.length} ${outcome.problems.length === 1 ? "problem" : "problems"} (listed above).`);
    return 1;
  }
  const { created } = outcome;
  if (created.provider) io.err(`Created provider ${created.provider}`);
  for (const s of created.services) io.err(`Created service ${s}`);
  for (const t of created.teams) io.err(`Created team ${t}`);
  io.err(`Imported ${outcome.cases} ${outcome.cases === 1 ? "case" : "cases"} and ${outcome.answers} ${outcome.answers === 1 ? "answer" : "answers"} as a completed audit (services: ${outcome.services.join(", ")})`);
  io.out(String(outcome.auditId));
  return 0;
}
