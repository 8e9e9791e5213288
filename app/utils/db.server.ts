/** The app's one database handle. Only *.server.ts modules import this (and so db/). */
import { createDb, migrateToLatest, type Db } from "../../db/client";

export type { Db };

let db: Db | undefined;
let ready: Promise<unknown> | undefined;

/** The database, migrated to the latest schema on first use. */
export async function getDb(): Promise<Db> {
  if (!db) {
    db = createDb();
    ready = migrateToLatest(db);
  }
  await ready;
  return db;
}

/** Closes the handle (tests and the CLI use this to release the file). */
export async function closeDb() {
  const current = db;
  db = undefined;
  ready = undefined;
  await current?.destroy();
}
