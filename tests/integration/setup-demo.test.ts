/** The first-run page's "Load demonstration data" box (issue #5): a fresh database for each test. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { DEMO_AUDIT_PREFIX, DEMO_PROVIDER_SUFFIX, hasDemoData } from "~/models/demo-data.server";
import * as setup from "~/routes/setup";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { anonymousCookie, callAction, useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;

beforeEach(async () => {
  env = await useTempDb();
  db = env.db;
});
afterEach(async () => env.cleanup());

const account = { name: "Ada Lovelace", email: "ada@nhs.net", password: "long enough password", confirmPassword: "long enough password" };

const demoAudits = () => db.selectFrom("audits").select("title").where("title", "like", `${DEMO_AUDIT_PREFIX}%`).execute();
const users = () => db.selectFrom("users").select(["id", "email", "role"]).execute();
const sessionFrom = (res: { headers: Headers }) => /sca_session=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "")?.[1];

it("with the box ticked, creates the administrator and the demonstration data, and opens the dashboard", async () => {
  const res = await callAction(setup.action, "/setup", { ...account, loadDemo: "yes" }, { cookie: anonymousCookie });
  expect(res.status).toBe(302);
  expect(res.location).toBe("/dashboard");
  expect(sessionFrom(res)).toBeTruthy();

  const [admin] = await users();
  expect(admin).toMatchObject({ email: "ada@nhs.net", role: "administrator" });
  expect(await hasDemoData(db)).toBe(true);
  const audits = await demoAudits();
  expect(audits.length).toBeGreaterThan(0);
  expect(audits.every((a) => a.title.startsWith(DEMO_AUDIT_PREFIX))).toBe(true);

  // Loaded by the new administrator, and logged as such.
  const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "demo-data-load").executeTakeFirstOrThrow();
  expect(log).toMatchObject({ user_id: admin.id, actor: "ada@nhs.net" });
});

it("without the box, creates only the administrator and opens Administration as before", async () => {
  const res = await callAction(setup.action, "/setup", account, { cookie: anonymousCookie });
  expect(res.status).toBe(302);
  expect(res.location).toBe("/admin");
  expect(sessionFrom(res)).toBeTruthy();
  expect(await users()).toHaveLength(1);
  expect(await hasDemoData(db)).toBe(false);
  expect(await demoAudits()).toEqual([]);
  expect(await db.selectFrom("providers").select("id").execute()).toEqual([]);
});

it("keeps the box ticked when the form has a mistake, and creates nothing", async () => {
  const res = await callAction(setup.action, "/setup", { ...account, confirmPassword: "another long password", loadDemo: "yes" }, { cookie: anonymousCookie });
  expect(res.status).toBe(400);
  expect(res.data.errors.confirmPassword).toBe("Passwords do not match. Enter the same password twice");
  expect(res.data.values).toEqual({ name: "Ada Lovelace", email: "ada@nhs.net", loadDemo: "yes" });
  expect(await users()).toEqual([]);
  expect(await hasDemoData(db)).toBe(false);
});

it("when the demonstration data is refused, still creates and signs in the administrator and opens the Demonstration data page", async () => {
  // Already loaded (for example by `npm run cli -- demo` before anyone signed up): generation refuses.
  const now = nowIso();
  await db.insertInto("providers").values({ name: `Earlier trust${DEMO_PROVIDER_SUFFIX}`, created_at: now, updated_at: now }).execute();

  const res = await callAction(setup.action, "/setup", { ...account, loadDemo: "yes" }, { cookie: anonymousCookie });
  expect(res.status).toBe(302);
  expect(res.location).toBe("/admin/demo");
  expect(sessionFrom(res)).toBeTruthy();
  expect(await users()).toHaveLength(1);
  expect(await demoAudits()).toEqual([]);
  expect(await db.selectFrom("audit_log").select("id").where("action", "=", "demo-data-load").execute()).toEqual([]);
});
