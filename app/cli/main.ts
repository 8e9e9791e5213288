/**
 * Every command of the app: `npm start` (serve), `npm run setup`, `npm run templates:check`,
 * and `npm run cli -- <command>`. Reads PORT, HOST and DATABASE_URL from the environment.
 */
import { closeDb, getDb } from "~/utils/db.server";
import { formatProblems, loadTemplates } from "~/models/templates.server";
import { loadPseudonymKey } from "~/utils/pseudonymise.server";
import { templatesCheck } from "./templates";

const USAGE = `Usage: npm run cli -- <command>

Commands:
  serve              migrate the database, load the templates and serve the app
                     (PORT, default 3000; HOST, default 127.0.0.1; DATABASE_URL, default data/audit.db)
  setup              migrate the database and load the templates, then exit
  templates:check    validate every file in audit-templates/ (TEMPLATES_DIR to check another folder)
  import-cases       import a case list into an audit: import-cases --audit <id> [--user <email>]
                     [--pseudonymise-column <heading>] [--valid-only] <file>
  audit-summary      print an audit's compliance figures: audit-summary <id> [--json]
  import-results     make a completed audit from historical results and print its id: import-results <file.csv>
                     --template <key>@<version> --title "<title>" --period <start>..<end> [--create-missing --provider "<name>"]
  demo               load a fictional trust with two years of audits: demo [--seed <text>] [--user <email>];
                     remove it again: demo --remove
`;

/** Migrate and load templates; print the problems and return false when start-up must stop. */
async function prepare(): Promise<boolean> {
  const db = await getDb();
  const { problems, added } = await loadTemplates(db);
  if (problems.length > 0) {
    console.error(`The audit templates have problems, so the app will not start:\n${formatProblems(problems)}`);
    return false;
  }
  for (const t of added) console.log(`Published template ${t}`);
  // The pseudonym key lives outside the database; make it now (if missing) rather than on
  // the first import, so a deployment can back it up from the start.
  try {
    loadPseudonymKey();
  } catch (error) {
    console.error(`The pseudonym key cannot be used, so the app will not start: ${(error as Error).message}`);
    return false;
  }
  return true;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve": {
      process.env.NODE_ENV ||= "production";
      if (!(await prepare())) return 1;
      const { startServer } = await import("./serve");
      const port = Number(process.env.PORT || 3000);
      const host = process.env.HOST || "127.0.0.1";
      await startServer({ port, host, buildPath: "build/index.js" });
      console.log(`Safeguarding case-file audit is running at http://${host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host}:${port}`);
      return -1; // keep running
    }
    case "setup": {
      const ok = await prepare();
      await closeDb();
      if (ok) console.log("Database and templates are up to date.");
      return ok ? 0 : 1;
    }
    case "templates:check":
      return templatesCheck();
    case "import-cases": {
      const { importCasesCommand } = await import("./import-cases");
      const code = await importCasesCommand(rest);
      await closeDb();
      return code;
    }
    case "audit-summary": {
      const { auditSummaryCommand } = await import("./audit-summary");
      const code = await auditSummaryCommand(rest);
      await closeDb();
      return code;
    }
    case "import-results": {
      const { importResultsCommand } = await import("./import-results");
      const code = await importResultsCommand(rest);
      await closeDb();
      return code;
    }
    case "demo": {
      const { demoCommand } = await import("./demo");
      const code = await demoCommand(rest);
      await closeDb();
      return code;
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
