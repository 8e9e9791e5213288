import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { migrations } from "./migrations";
import type { Database as Schema } from "./schema";

export type Db = Kysely<Schema>;

export const DEFAULT_DATABASE_URL = "data/audit.db";

/**
 * Opens the database named by DATABASE_URL: a SQLite file path (the embedded default) or,
 * once PostgreSQL support lands, a postgres:// URL.
 */
export function createDb(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): Db {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error(
      "DATABASE_URL is a PostgreSQL URL, but this version only supports the embedded SQLite database. " +
        "Set DATABASE_URL to a file path such as data/audit.db.",
    );
  }
  const file = url.replace(/^sqlite:(\/\/)?/i, "");
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Brings the schema up to date; throws (naming the migration) if one fails. */
export async function migrateToLatest(db: Db) {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String((error as Error).message ?? error)}`);
  }
  return results ?? [];
}
