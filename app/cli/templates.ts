/**
 * `npm run templates:check`: validates every template file and, when the database
 * already exists, checks that no published key@version has changed. Never writes.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { DEFAULT_DATABASE_URL } from "../../db/client";
import type { Database as Schema } from "../../db/schema";
import { allCriteria } from "~/schemas/template";
import { formatProblems, readTemplateDir, syncTemplates, type TemplateProblem } from "~/models/templates.server";

/** Returns the exit code: 0 when every template is fine, 1 when there is any problem. */
export async function templatesCheck(dir?: string): Promise<number> {
  const read = await readTemplateDir(dir);
  const problems: TemplateProblem[] = [...read.problems];

  const dbFile = sqliteFile(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  let checkedAgainst: string | null = null;
  if (dbFile && fs.existsSync(dbFile) && read.templates.length > 0) {
    // Read-only: the check must never create, migrate or change the database.
    const db = new Kysely<Schema>({
      dialect: new SqliteDialect({ database: new Database(dbFile, { readonly: true, fileMustExist: true }) }),
    });
    try {
      const tables = await db.introspection.getTables();
      if (tables.some((t) => t.name === "template_versions")) {
        const sync = await syncTemplates(db, read.templates, { dryRun: true });
        problems.push(...sync.problems);
        checkedAgainst = dbFile;
      }
    } finally {
      await db.destroy();
    }
  }

  const badFiles = new Set(problems.map((p) => p.file));
  for (const t of read.templates) {
    if (badFiles.has(t.file)) continue;
    const { key, version } = t.template;
    const n = allCriteria(t.template).length;
    console.log(`✔ ${t.file}: ${key} version ${version} (${n} ${n === 1 ? "criterion" : "criteria"})`);
  }
  if (problems.length > 0) console.error(formatProblems(problems));

  const against = checkedAgainst ? `, checked against the published versions in ${checkedAgainst}` : "";
  if (problems.length === 0) {
    const n = read.templates.length;
    console.log(`${n === 1 ? "The template is" : `All ${n} templates are`} valid${against}.`);
    return 0;
  }
  const files = badFiles.size;
  console.error(
    `✘ ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}${against}.`,
  );
  return 1;
}

/** The SQLite file named by DATABASE_URL (as db/client.ts reads it), or null for other databases. */
function sqliteFile(url: string): string | null {
  if (/^postgres(ql)?:\/\//i.test(url)) return null;
  const file = url.replace(/^sqlite:(\/\/)?/i, "");
  return file === ":memory:" ? null : path.resolve(file);
}
