/**
 * The sign-in security migration on a database from before it: the API tokens of users who were
 * already disabled are revoked (from now on disabling does it), with an audit log entry each.
 */
import { afterAll, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator } from "kysely";
import { createDb } from "../../db/client";
import { migrations } from "../../db/migrations";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sca-migration-"));
const db = createDb(path.join(dir, "old.db"));
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("revokes the tokens of users disabled before the upgrade, and keeps the others", async () => {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  expect((await migrator.migrateTo("20261123T1900-stored-results")).error).toBeUndefined();
  const now = new Date().toISOString();
  const user = (email: string, disabled: boolean) =>
    db
      .insertInto("users")
      .values({ email, name: email, role: "manager", password_hash: "x", disabled_at: disabled ? now : null, last_sign_in_at: null, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
  const gone = await user("gone@nhs.net", true);
  const here = await user("here@nhs.net", false);
  const token = (userId: number, name: string) =>
    db
      .insertInto("api_tokens")
      .values({ user_id: userId, name, token_hash: `hash-${name}`, created_by: here.id, created_at: now, last_used_at: null, revoked_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
  const goneToken = await token(gone.id, "old");
  const hereToken = await token(here.id, "live");

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const rows = await db.selectFrom("api_tokens").select(["id", "revoked_at"]).orderBy("id").execute();
  expect(rows.find((r) => r.id === goneToken.id)?.revoked_at).toBeTruthy();
  expect(rows.find((r) => r.id === hereToken.id)?.revoked_at).toBeNull();
  const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "revoke").execute();
  expect(log).toHaveLength(1);
  expect(log[0].entity_id).toBe(String(goneToken.id));
  expect(JSON.parse(log[0].after!)).toMatchObject({ reason: "account disabled (revoked on upgrade)" });
  // And the new columns are there with their defaults.
  expect(await db.selectFrom("sign_in_attempts").selectAll().execute()).toEqual([]);
});
