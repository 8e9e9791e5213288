/** The administration page that loads and removes the demonstration trust (same generator as the CLI). */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as demoPage from "~/routes/admin.demo";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: string;
let manager: string;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = (await userWithSession(db, "administrator")).cookie;
  manager = (await userWithSession(db, "manager")).cookie;
});
afterAll(async () => env.cleanup());

const demoAudits = async () => (await db.selectFrom("audits").select("id").where("title", "like", "[Demo] %").execute()).length;

it("loads the demonstration trust, refuses to load it twice with a clear message, and removes it", async () => {
  expect((await callLoader(demoPage.loader, "/admin/demo", { cookie: admin })).data.loaded).toBe(false);

  const loaded = await callAction(demoPage.action, "/admin/demo", { intent: "load" }, { cookie: admin });
  expect(loaded.status).toBe(302);
  expect(loaded.location).toBe("/admin/demo?done=loaded");
  expect(await demoAudits()).toBeGreaterThan(0);
  expect((await callLoader(demoPage.loader, "/admin/demo?done=loaded", { cookie: admin })).data).toMatchObject({ loaded: true, done: "loaded" });

  const again = await callAction(demoPage.action, "/admin/demo", { intent: "load" }, { cookie: admin });
  expect(again.status).toBe(400);
  expect(again.data.errors.demo).toMatch(/^Demonstration data is already loaded/);

  const removed = await callAction(demoPage.action, "/admin/demo", { intent: "remove" }, { cookie: admin });
  expect(removed.location).toBe("/admin/demo?done=removed");
  expect(await demoAudits()).toBe(0);
  expect(await db.selectFrom("providers").select("id").where("name", "like", "% (demonstration data)").execute()).toEqual([]);
});

it("is for administrators only", async () => {
  expect((await callLoader(demoPage.loader, "/admin/demo", { cookie: manager })).status).toBe(403);
  expect((await callAction(demoPage.action, "/admin/demo", { intent: "load" }, { cookie: manager })).status).toBe(403);
  expect(await demoAudits()).toBe(0);
});
