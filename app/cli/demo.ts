/**
 * `npm run cli -- demo [--seed <text>] [--user <email>]` loads the demonstration trust with two
 * years of quarterly audits (app/models/demo-data.server.ts); `npm run cli -- demo --remove`
 * removes it again. Exit code 1 when it cannot be done, 2 for bad usage.
 */
import { DemoDataExistsError, generateDemoData, removeDemoData } from "~/models/demo-data.server";
import { getDb } from "~/utils/db.server";
import { readArgs } from "./args";
import { actingUser, consoleIo, type Io } from "./common";

export const DEMO_USAGE = `Usage: npm run cli -- demo [--seed <text>] [--user <email>]
       npm run cli -- demo --remove [--user <email>]

  --seed <text>   the same seed gives the same data (default: demo)
  --remove        remove the demonstration data (its providers, services, teams, audits, cases and answers)
  --user <email>  who is loading or removing it: an active administrator (default: the first active administrator)`;


function parseArgs(args: string[]): { seed: string; remove: boolean; user?: string } | string {
  const r = readArgs(args, { seed: { type: "string" }, user: { type: "string" }, remove: { type: "boolean" } });
  if (typeof r === "string") return r;
  if (r.positionals.length > 0) return `Unknown argument ${r.positionals[0]}`;
  for (const name of ["seed", "user"] as const) if (r.values[name] !== undefined && !r.values[name]!.trim()) return `--${name} needs a value`;
  return { seed: r.values.seed ?? "demo", remove: r.values.remove ?? false, user: r.values.user };
}

/** Runs the command; returns the exit code. Leaves the database open (main.ts closes it). */
export async function demoCommand(args: string[], io: Io = consoleIo): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === "string") {
    io.err(`${options}.\n\n${DEMO_USAGE}`);
    return 2;
  }
  const db = await getDb();
  if (!(await db.selectFrom("users").select("id").executeTakeFirst())) {
    io.err("Create the first administrator account first (npm start, then open the app)");
    return 1;
  }
  const user = await actingUser(db, io, options.user, "manageOrganisation", "load or remove demonstration data", "an active administrator");
  if (!user) return 1;
  const actor = { id: user.id, email: user.email };
  try {
    if (options.remove) {
      const c = await removeDemoData(db, actor);
      if (c.providers === 0) io.out("There is no demonstration data to remove.");
      else io.out(`Removed the demonstration data: ${c.providers} providers, ${c.services} services, ${c.teams} teams, ${c.audits} audits, ${c.cases} cases and ${c.answers} answers.`);
      return 0;
    }
    const c = await generateDemoData(db, actor, { seed: options.seed });
    io.out(
      `Loaded demonstration data (seed "${options.seed}"): ${c.providers} providers, ${c.services} services, ${c.teams} teams, ${c.audits} completed audits, ${c.cases} cases and ${c.answers} answers.\n` +
        'Providers are named "… (demonstration data)" and audit titles start with "[Demo] ". Remove it all with: npm run cli -- demo --remove',
    );
    return 0;
  } catch (error) {
    if (error instanceof DemoDataExistsError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof Error && /^(There is no template|The demonstration data was not removed|The audit templates have problems)/.test(error.message)) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
