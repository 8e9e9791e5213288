/**
 * The world both history import tests use (the command, tests/integration/history-import.test.ts,
 * and the page, admin-import-results.test.ts): the small template in
 * tests/fixtures/history/history-fixture.yaml, a provider with services Alpha and Beta, and team
 * North of Alpha.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { parseTemplateSource, syncTemplates } from "~/models/templates.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";

export const historyFixture = (name: string) => fileURLToPath(new URL(`../fixtures/history/${name}`, import.meta.url));

export async function setUpHistoryWorld(db: Db) {
  const loaded = parseTemplateSource("history-fixture.yaml", readFileSync(historyFixture("history-fixture.yaml"), "utf8"));
  if ("problems" in loaded) throw new Error(JSON.stringify(loaded.problems));
  expect((await syncTemplates(db, [loaded])).problems).toEqual([]);
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Test Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  const [alpha] = await db
    .insertInto("services")
    .values([
      { provider_id: provider.id, name: "Alpha", created_at: now, updated_at: now },
      { provider_id: provider.id, name: "Beta", created_at: now, updated_at: now },
    ])
    .returning("id")
    .execute();
  await db.insertInto("teams").values({ service_id: alpha.id, name: "North", created_at: now, updated_at: now }).execute();
}
