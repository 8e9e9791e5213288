/**
 * What the CLI commands share: where their output goes, who they act as, and reading a case
 * list or results file with the app's size limit. Each helper prints its own message to `io.err`
 * and returns null on failure, so a command simply exits 1.
 */
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { can, type Permission } from "~/lib/permissions";
import { caseListMaxBytes, readCaseList, tooBigMessage, type CaseListTable } from "~/models/case-import.server";
import type { Db } from "~/utils/db.server";

export type Io = { out: (line: string) => void; err: (line: string) => void };

export const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * The user a command acts as: the one with `--user <email>`, or else the first active
 * administrator; it must be active and have `permission`. `doing` completes "… cannot <doing>".
 */
export async function actingUser(db: Db, io: Io, email: string | undefined, permission: Permission, doing: string, who: string) {
  let q = db.selectFrom("users").select(["id", "email", "role", "disabled_at"]);
  q = email ? q.where("email", "=", email.trim().toLowerCase()) : q.where("role", "=", "administrator").where("disabled_at", "is", null).orderBy("id").limit(1);
  const user = await q.executeTakeFirst();
  if (!user) {
    io.err(email ? `There is no user with the email address ${email}` : "There is no active administrator. Name the user with --user <email>");
    return null;
  }
  if (user.disabled_at || !can(user.role, permission)) {
    io.err(`${user.email} cannot ${doing}: the user must be ${who}`);
    return null;
  }
  return user;
}

/** Reads a CSV or XLSX file as the import pages do (same size limit and messages). */
export async function readListFile(io: Io, path: string): Promise<{ name: string; table: CaseListTable } | null> {
  const maxBytes = caseListMaxBytes();
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    io.err(`There is no file ${path}`);
    return null;
  }
  if (size > maxBytes) {
    io.err(`${path}: ${tooBigMessage(maxBytes)}`);
    return null;
  }
  const name = basename(path);
  const table = await readCaseList({ name, bytes: new Uint8Array(readFileSync(path)) }, maxBytes);
  if (!table.ok) {
    io.err(`${path}: ${table.message}`);
    return null;
  }
  return { name, table };
}
