/** Local rules: an administrator changes a non-statutory timescale; the change is checked and logged. */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as settingPage from "~/routes/admin.settings.$settingId";
import * as settingsList from "~/routes/admin.settings._index";
import { currentSettings } from "~/models/settings.server";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: string;
const url = "/admin/settings/booking-before-weeks";
const params = { settingId: "booking-before-weeks" };

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = (await userWithSession(db, "administrator")).cookie;
});
afterAll(async () => env.cleanup());

it("lists every local rule with its value, default and source", async () => {
  const res = await callLoader(settingsList.loader, "/admin/settings", { cookie: admin });
  const booking = res.data.settings.find((s: { id: string }) => s.id === "booking-before-weeks");
  expect(booking).toMatchObject({ value: 12, default: 12, unit: "weeks", updatedAt: null });
  expect(booking.source).toMatch(/ROT §1\.16/);
});

it.each([
  ["", "Enter a whole number of weeks from 6 to 24"],
  ["ten", "Enter a whole number of weeks from 6 to 24"],
  ["10.5", "Enter a whole number of weeks from 6 to 24"],
  ["40", "Enter a whole number of weeks from 6 to 24"],
])("refuses %j with a clear message and changes nothing", async (value, message) => {
  const res = await callAction(settingPage.action, url, { value }, { cookie: admin, params });
  expect(res.status).toBe(400);
  expect(res.data.errors.value).toBe(message);
  expect(res.data.values.value).toBe(value);
  expect((await currentSettings(db))["booking-before-weeks"]).toBe(12);
});

it("saves a valid value, logs before and after, and shows who changed it", async () => {
  const res = await callAction(settingPage.action, url, { value: " 10 " }, { cookie: admin, params });
  expect(res.status).toBe(302);
  expect(res.location).toBe("/admin/settings?changed=booking-before-weeks");
  expect((await currentSettings(db))["booking-before-weeks"]).toBe(10);
  const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "setting").where("entity_id", "=", "booking-before-weeks").executeTakeFirstOrThrow();
  expect([JSON.parse(log.before!), JSON.parse(log.after!)]).toEqual([{ value: 12 }, { value: 10 }]);
  const list = await callLoader(settingsList.loader, "/admin/settings?changed=booking-before-weeks", { cookie: admin });
  expect(list.data.changed).toBe("Pregnancy booked before");
  expect(list.data.settings.find((s: { id: string }) => s.id === "booking-before-weeks")).toMatchObject({ value: 10, updatedBy: expect.any(String) });
});

it("answers 404 for a setting that does not exist", async () => {
  const res = await callLoader(settingPage.loader, "/admin/settings/nope", { cookie: admin, params: { settingId: "nope" } });
  expect(res.status).toBe(404);
});
