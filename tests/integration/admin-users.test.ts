import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as userPage from "~/routes/admin.users.$userId";
import * as usersList from "~/routes/admin.users._index";
import * as newUser from "~/routes/admin.users.new";
import { LastAdministratorError, setDisabled } from "~/models/users.server";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: Awaited<ReturnType<typeof userWithSession>>;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = await userWithSession(db, "administrator", { email: "admin@example.nhs.uk", name: "Grace Admin" });
});
afterAll(async () => env.cleanup());

const newUserFields = (overrides: Record<string, string> = {}) => ({
  name: "Mary Seacole",
  email: "Mary.Seacole@NHS.net",
  role: "auditor",
  password: "a long enough password",
  confirmPassword: "a long enough password",
  ...overrides,
});

const userRow = (email: string) => db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
const logRows = (entity: string, entityId: number | string) =>
  db.selectFrom("audit_log").selectAll().where("entity", "=", entity).where("entity_id", "=", String(entityId)).orderBy("id").execute();
const sessionCount = async (userId: number) => (await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute()).length;

describe("adding a user", () => {
  it("shows the form and the list to an administrator", async () => {
    expect((await callLoader(newUser.loader, "/admin/users/new", { cookie: admin.cookie })).status).toBe(200);
    const list = await callLoader(usersList.loader, "/admin/users", { cookie: admin.cookie });
    expect(list.status).toBe(200);
    expect(list.data.users.map((u: { email: string }) => u.email)).toContain("admin@example.nhs.uk");
  });

  it("adds the user with a hashed password, logs it and lists them", async () => {
    const res = await callAction(newUser.action, "/admin/users/new", newUserFields(), { cookie: admin.cookie });
    expect(res.status).toBe(302);
    const user = await userRow("mary.seacole@nhs.net");
    expect(user).toMatchObject({ name: "Mary Seacole", role: "auditor", disabled_at: null });
    expect(res.location).toBe(`/admin/users?added=${user!.id}`);
    expect(user!.password_hash).toMatch(/^scrypt\$/);
    expect(user!.password_hash).not.toContain("a long enough password");
    const [log] = await logRows("user", user!.id);
    expect(log).toMatchObject({ action: "create", user_id: admin.user.id, actor: "admin@example.nhs.uk" });
    expect(log.after).toContain("mary.seacole@nhs.net");
    expect(log.after).not.toContain("a long enough password");
    expect(log.after).not.toContain("scrypt");

    const list = await callLoader(usersList.loader, res.location!, { cookie: admin.cookie });
    expect(list.data.added).toBe("Mary Seacole");
    expect(list.data.users.find((u: { email: string }) => u.email === "mary.seacole@nhs.net")).toMatchObject({ role: "Auditor", disabled: false, lastSignIn: null });
  });

  it("refuses a duplicate email address (in any case), keeping what was typed except the passwords", async () => {
    const res = await callAction(newUser.action, "/admin/users/new", newUserFields({ name: "Another Mary", email: "MARY.seacole@nhs.net" }), { cookie: admin.cookie });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ email: "A user with this email address already exists" });
    expect(res.data.values).toMatchObject({ name: "Another Mary", email: "MARY.seacole@nhs.net", role: "auditor" });
    expect(res.data.values.password).toBeUndefined();
    expect(res.data.values.confirmPassword).toBeUndefined();
    expect(await db.selectFrom("users").select("id").where("name", "=", "Another Mary").execute()).toHaveLength(0);
  });

  it("refuses a password shorter than 12 characters, a missing role and mismatched passwords", async () => {
    const short = await callAction(newUser.action, "/admin/users/new", newUserFields({ email: "short@nhs.net", password: "too short", confirmPassword: "too short" }), { cookie: admin.cookie });
    expect(short.status).toBe(400);
    expect(short.data.errors.password).toBe("Password must be 12 characters or more");
    const noRole = await callAction(newUser.action, "/admin/users/new", { ...newUserFields({ email: "norole@nhs.net" }), role: "" }, { cookie: admin.cookie });
    expect(noRole.status).toBe(400);
    expect(noRole.data.errors.role).toBe("Select a role");
    const badRole = await callAction(newUser.action, "/admin/users/new", newUserFields({ email: "norole@nhs.net", role: "superuser" }), { cookie: admin.cookie });
    expect(badRole.data.errors.role).toBe("Select a role");
    const mismatch = await callAction(newUser.action, "/admin/users/new", newUserFields({ email: "mismatch@nhs.net", confirmPassword: "something else entirely" }), { cookie: admin.cookie });
    expect(mismatch.data.errors.confirmPassword).toBe("Passwords do not match. Enter the same password twice");
    for (const email of ["short@nhs.net", "norole@nhs.net", "mismatch@nhs.net"]) expect(await userRow(email)).toBeUndefined();
  });

  it("refuses a post without the CSRF field (403) and creates nobody", async () => {
    const res = await callAction(newUser.action, "/admin/users/new", newUserFields({ email: "csrf@nhs.net" }), { cookie: admin.cookie, csrf: false });
    expect(res.status).toBe(403);
    const wrong = await callAction(newUser.action, "/admin/users/new", newUserFields({ email: "csrf@nhs.net" }), { cookie: admin.cookie, csrf: "not-the-cookie-value" });
    expect(wrong.status).toBe(403);
    expect(await userRow("csrf@nhs.net")).toBeUndefined();
  });
});

describe("managing a user", () => {
  it("shows the user, and answers 404 for an unknown or malformed id", async () => {
    const mary = (await userRow("mary.seacole@nhs.net"))!;
    const res = await callLoader(userPage.loader, `/admin/users/${mary.id}`, { cookie: admin.cookie, params: { userId: String(mary.id) } });
    expect(res.status).toBe(200);
    expect(res.data.user).toMatchObject({ name: "Mary Seacole", email: "mary.seacole@nhs.net", role: "auditor", disabled: false });
    expect(res.data.isSelf).toBe(false);
    for (const id of ["99999", "abc", "0", "-1", "1.5"]) {
      expect((await callLoader(userPage.loader, `/admin/users/${id}`, { cookie: admin.cookie, params: { userId: id } })).status).toBe(404);
      expect((await callAction(userPage.action, `/admin/users/${id}`, { intent: "enable" }, { cookie: admin.cookie, params: { userId: id } })).status).toBe(404);
    }
  });

  it("changes a user's role and logs before and after", async () => {
    const target = await userWithSession(db, "auditor");
    const id = String(target.user.id);
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "role", role: "reviewer" }, { cookie: admin.cookie, params: { userId: id } });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/users/${id}?done=role`);
    expect((await db.selectFrom("users").select("role").where("id", "=", target.user.id).executeTakeFirstOrThrow()).role).toBe("reviewer");
    const log = (await logRows("user", id)).find((l) => l.action === "change-role")!;
    expect(JSON.parse(log.before!).role).toBe("auditor");
    expect(JSON.parse(log.after!).role).toBe("reviewer");
    expect(log.user_id).toBe(admin.user.id);

    const page = await callLoader(userPage.loader, res.location!, { cookie: admin.cookie, params: { userId: id } });
    expect(page.data.done).toBe("role");

    const bad = await callAction(userPage.action, `/admin/users/${id}`, { intent: "role", role: "owner" }, { cookie: admin.cookie, params: { userId: id } });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.role).toBe("Select a role");
    expect(bad.data.values.intent).toBe("role");
  });

  it("disables a user, removes their sessions, logs it, and can enable them again", async () => {
    const target = await userWithSession(db, "reviewer");
    const id = String(target.user.id);
    expect(await sessionCount(target.user.id)).toBe(1);
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "disable" }, { cookie: admin.cookie, params: { userId: id } });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/users/${id}?done=disabled`);
    expect(await sessionCount(target.user.id)).toBe(0);
    const row = await db.selectFrom("users").select("disabled_at").where("id", "=", target.user.id).executeTakeFirstOrThrow();
    expect(row.disabled_at).toBeTruthy();
    const log = (await logRows("user", id)).find((l) => l.action === "disable")!;
    expect(JSON.parse(log.before!).disabled_at).toBeNull();
    expect(JSON.parse(log.after!).disabled_at).toBe(row.disabled_at);
    // Their old cookie no longer works.
    const signedOut = await callLoader(usersList.loader, "/admin/users", { cookie: target.cookie });
    expect(signedOut.location).toBe("/sign-in?redirectTo=%2Fadmin%2Fusers");
    const list = await callLoader(usersList.loader, "/admin/users", { cookie: admin.cookie });
    expect(list.data.users.find((u: { id: number }) => u.id === target.user.id).disabled).toBe(true);

    const enable = await callAction(userPage.action, `/admin/users/${id}`, { intent: "enable" }, { cookie: admin.cookie, params: { userId: id } });
    expect(enable.location).toBe(`/admin/users/${id}?done=enabled`);
    expect((await db.selectFrom("users").select("disabled_at").where("id", "=", target.user.id).executeTakeFirstOrThrow()).disabled_at).toBeNull();
    expect((await logRows("user", id)).map((l) => l.action)).toEqual(["disable", "enable"]);
  });

  it("sets a new password (12+ characters), signing the user out everywhere", async () => {
    const target = await userWithSession(db, "manager", { password: "the old password here" });
    const id = String(target.user.id);
    const before = (await db.selectFrom("users").select("password_hash").where("id", "=", target.user.id).executeTakeFirstOrThrow()).password_hash;
    const short = await callAction(userPage.action, `/admin/users/${id}`, { intent: "password", password: "short one" }, { cookie: admin.cookie, params: { userId: id } });
    expect(short.status).toBe(400);
    expect(short.data.errors.password).toBe("Password must be 12 characters or more");
    expect(short.data.values.password).toBeUndefined();
    expect(short.data.values.intent).toBe("password");
    expect(await sessionCount(target.user.id)).toBe(1);

    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "password", password: "a brand new password" }, { cookie: admin.cookie, params: { userId: id } });
    expect(res.location).toBe(`/admin/users/${id}?done=password`);
    const after = (await db.selectFrom("users").select("password_hash").where("id", "=", target.user.id).executeTakeFirstOrThrow()).password_hash;
    expect(after).not.toBe(before);
    expect(after).not.toContain("a brand new password");
    expect(await sessionCount(target.user.id)).toBe(0);
    const log = (await logRows("user", id)).find((l) => l.action === "reset-password")!;
    expect(log).toBeTruthy();
    expect(`${log.before}${log.after}`).not.toContain("a brand new password");
  });

  it("refuses an unknown intent with 400 and a post without the CSRF field with 403", async () => {
    const target = await userWithSession(db, "auditor");
    const id = String(target.user.id);
    expect((await callAction(userPage.action, `/admin/users/${id}`, { intent: "delete" }, { cookie: admin.cookie, params: { userId: id } })).status).toBe(400);
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "disable" }, { cookie: admin.cookie, params: { userId: id }, csrf: false });
    expect(res.status).toBe(403);
    expect(await sessionCount(target.user.id)).toBe(1);
  });
});

describe("keeping at least one administrator", () => {
  it("refuses to let administrators disable themselves", async () => {
    const id = String(admin.user.id);
    const page = await callLoader(userPage.loader, `/admin/users/${id}`, { cookie: admin.cookie, params: { userId: id } });
    expect(page.data.isSelf).toBe(true);
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "disable" }, { cookie: admin.cookie, params: { userId: id } });
    expect(res.status).toBe(400);
    expect(res.data.errors.disable).toBe("You cannot disable your own account. Ask another administrator to do this");
    expect((await db.selectFrom("users").select("disabled_at").where("id", "=", admin.user.id).executeTakeFirstOrThrow()).disabled_at).toBeNull();
    expect(await sessionCount(admin.user.id)).toBeGreaterThan(0);
  });

  it("refuses to demote the last active administrator, and explains why", async () => {
    // Make sure the signed-in administrator is the only active one.
    const others = await db.selectFrom("users").select("id").where("role", "=", "administrator").where("id", "!=", admin.user.id).where("disabled_at", "is", null).execute();
    for (const o of others) await setDisabled(db, null, o.id, true);
    const id = String(admin.user.id);
    const logCount = (await logRows("user", id)).length;
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "role", role: "auditor" }, { cookie: admin.cookie, params: { userId: id } });
    expect(res.status).toBe(400);
    expect(res.data.errors.role).toMatch(/^You cannot change the role of the only active administrator/);
    expect(res.data.values).toMatchObject({ intent: "role", role: "auditor" });
    expect((await db.selectFrom("users").select("role").where("id", "=", admin.user.id).executeTakeFirstOrThrow()).role).toBe("administrator");
    expect((await logRows("user", id)).length).toBe(logCount);
    // The model refuses to disable them too, whoever asks.
    await expect(setDisabled(db, null, admin.user.id, true)).rejects.toBeInstanceOf(LastAdministratorError);
  });

  it("lets an administrator step down once there is another, sending them home", async () => {
    const second = await userWithSession(db, "administrator");
    const id = String(second.user.id);
    const res = await callAction(userPage.action, `/admin/users/${id}`, { intent: "role", role: "auditor" }, { cookie: second.cookie, params: { userId: id } });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    expect((await callLoader(usersList.loader, "/admin/users", { cookie: second.cookie })).status).toBe(403);
  });
});
