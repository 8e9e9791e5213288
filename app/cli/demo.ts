/**
 * `npm run cli -- demo [--seed <text>] [--user <email>]` loads the demonstration trust with two
 * years of quarterly audits (app/models/demo-data.server.ts); `npm run cli -- demo --remove`
 * removes it again. Exit code 1 when it cannot be done, 2 for bad usage.
 */
import { can } from "~/lib/permissions";
import { DemoDataExistsError, generateDemoData, removeDemoData } from "~/models/demo-data.server";
import { getDb } from "~/utils/db.server";
import type { Io } from "./import-cases";

export const DEMO_USAGE = `Usage: npm run cli -- demo [--seed <text>] [--user <email>]
       npm run cli -- demo --remove [--user <email>]

  --seed <text>   the same seed gives the same data (default: demo)
  --remove        remove the demonstration data (its providers, services, teams, audits, cases and answers)
  --user <email>  who is loading or removing it: an active administrator (default: the first active administrator)`;

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

function parseArgs(args: string[]): { seed: string; remove: boolean; user?: string } | string {
  const o: { seed: string; remove: boolean; user?: string } = { seed: "demo", remove: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--remove") o.remove = true;
    else if (a === "--seed" || a === "--user") {
      const v = args[++i];
      if (v === undefined || v.startsWith("--") || v.trim() === "") return `${a} needs a value`;
      if (a === "--seed") o.seed = v;
      else o.user = v;
    } else return `Unknown option ${a}`;
  }
  return o;
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
  let q = db.selectFrom("users").select(["id", "email", "role", "disabled_at"]);
  q = options.user ? q.where("email", "=", options.user.trim().toLowerCase()) : q.where("role", "=", "administrator").where("disabled_at", "is", null).orderBy("id").limit(1);
  const user = await q.executeTakeFirst();
  if (!user) {
    io.err(options.user ? `There is no user with the email address ${options.user}` : "There is no active administrator. Name the user with --user <email>");
    return 1;
  }
  if (user.disabled_at || !can(user.role, "manageOrganisation")) {
    io.err(`${user.email} cannot load or remove demonstration data: the user must be an active administrator`);
    return 1;
  }
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
