import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthz from "~/routes/healthz";
import * as home from "~/routes/_index";
import * as setup from "~/routes/setup";
import * as signIn from "~/routes/sign-in";
import * as signOut from "~/routes/sign-out";
import { authenticate, SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_MINUTES } from "~/models/users.server";
import type { Db } from "~/utils/db.server";
import { getSessionUser, IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS } from "~/utils/session.server";
import { anonymousCookie, callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
});
afterAll(async () => env.cleanup());

const sessionFrom = (setCookie: string | null) => /sca_session=([^;]+)/.exec(setCookie ?? "")?.[1];

describe("first run", () => {
  it("answers the health check once the database is reachable", async () => {
    const res = await callLoader(healthz.loader as never, "/healthz");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "ok" });
  });

  it("sends everyone to create the first administrator while there are no users", async () => {
    expect((await callLoader(home.loader, "/")).location).toBe("/setup");
    expect((await callLoader(signIn.loader, "/sign-in")).location).toBe("/setup");
    expect((await callLoader(setup.loader, "/setup")).status).toBe(200);
  });

  it("refuses a short password and mismatched passwords, creating nobody", async () => {
    const res = await callAction(setup.action, "/setup", { name: "Ada Lovelace", email: "ada@nhs.net", password: "short", confirmPassword: "short" }, { cookie: anonymousCookie });
    expect(res.status).toBe(400);
    expect(res.data.errors.password).toBe("Password must be 12 characters or more");
    expect(res.data.values).toEqual({ name: "Ada Lovelace", email: "ada@nhs.net" });
    const res2 = await callAction(setup.action, "/setup", { name: "Ada", email: "ada@nhs.net", password: "long enough password", confirmPassword: "another long password" }, { cookie: anonymousCookie });
    expect(res2.data.errors.confirmPassword).toBe("Passwords do not match. Enter the same password twice");
    expect(await db.selectFrom("users").select("id").execute()).toHaveLength(0);
  });

  it("creates the first administrator, signs them in with a safe cookie and logs it", async () => {
    const res = await callAction(setup.action, "/setup", { name: "Ada Lovelace", email: " Ada@NHS.net ", password: "long enough password", confirmPassword: "long enough password" }, { cookie: anonymousCookie });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const user = await db.selectFrom("users").selectAll().executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: "ada@nhs.net", role: "administrator" });
    expect(user.password_hash).toMatch(/^scrypt\$/);
    expect(user.password_hash).not.toContain("long enough password");
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "user").executeTakeFirstOrThrow();
    expect(log.action).toBe("create");
    expect(log.after).not.toContain("password");
  });

  it("never offers a second first administrator", async () => {
    expect((await callLoader(setup.loader, "/setup")).location).toBe("/sign-in");
    const res = await callAction(setup.action, "/setup", { name: "Mallory", email: "m@evil.example", password: "long enough password", confirmPassword: "long enough password" }, { cookie: anonymousCookie });
    expect(res.location).toBe("/sign-in");
    expect(await db.selectFrom("users").select("id").execute()).toHaveLength(1);
  });
});

describe("signing in and out", () => {
  it("signs in, logs it and honours only same-site redirects", async () => {
    const res = await callAction(signIn.action, "/sign-in", { email: "ada@nhs.net", password: "long enough password", redirectTo: "/audits" }, { cookie: anonymousCookie });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/audits");
    expect(sessionFrom(res.headers.get("Set-Cookie"))).toBeTruthy();
    const evil = await callAction(signIn.action, "/sign-in", { email: "ada@nhs.net", password: "long enough password", redirectTo: "//evil.example" }, { cookie: anonymousCookie });
    expect(evil.location).toBe("/");
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "sign-in").execute()).toHaveLength(2);
  });

  it("refuses a wrong password without saying which part was wrong, and logs the failure", async () => {
    const res = await callAction(signIn.action, "/sign-in", { email: "ada@nhs.net", password: "wrong password!!" }, { cookie: anonymousCookie });
    expect(res.status).toBe(400);
    expect(res.data.errors.email).toBe("Enter a correct email address and password");
    const unknown = await callAction(signIn.action, "/sign-in", { email: "nobody@nhs.net", password: "wrong password!!" }, { cookie: anonymousCookie });
    expect(unknown.data.errors.email).toBe("Enter a correct email address and password");
    const failures = await db.selectFrom("audit_log").selectAll().where("action", "=", "sign-in-failed").execute();
    expect(failures.map((f) => f.actor)).toEqual(["ada@nhs.net", "nobody@nhs.net"]);
    expect(JSON.stringify(failures)).not.toContain("wrong password");
  });

  it("refuses a disabled user", async () => {
    const { user } = await userWithSession(db, "auditor", { email: "gone@nhs.net", password: "long enough password" });
    await db.updateTable("users").set({ disabled_at: new Date().toISOString() }).where("id", "=", user.id).execute();
    const res = await callAction(signIn.action, "/sign-in", { email: "gone@nhs.net", password: "long enough password" }, { cookie: anonymousCookie });
    expect(res.status).toBe(400);
    expect(res.data.errors.email).toBe("Your account has been disabled. Contact your administrator if you need access");
  });

  it("signs out: the server-side session is gone", async () => {
    const { cookie } = await userWithSession(db, "manager");
    expect((await callLoader(home.loader, "/", { cookie })).status).toBe(200);
    const res = await callAction(signOut.action, "/sign-out", {}, { cookie });
    expect(res.location).toBe("/sign-in");
    expect((await callLoader(home.loader, "/", { cookie })).location).toBe("/sign-in");
  });
});

describe("password guessing", () => {
  it(`locks an email address for ${SIGN_IN_WINDOW_MINUTES} minutes after ${SIGN_IN_ATTEMPTS} failed sign-ins, even with the right password`, async () => {
    await userWithSession(db, "auditor", { email: "target@nhs.net", password: "the right password" });
    for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) {
      const r = await callAction(signIn.action, "/sign-in", { email: "target@nhs.net", password: `guess number ${i}` }, { cookie: anonymousCookie });
      expect(r.data.errors.email).toBe("Enter a correct email address and password");
    }
    const locked = await callAction(signIn.action, "/sign-in", { email: "target@nhs.net", password: "the right password" }, { cookie: anonymousCookie });
    expect(locked.status).toBe(400);
    expect(locked.data.errors.email).toBe(`There have been too many attempts to sign in with this email address. Wait ${SIGN_IN_WINDOW_MINUTES} minutes, then try again`);
    // Another address is not affected, and the lock ends with the window.
    expect((await authenticate(db, "ada@nhs.net", "long enough password")).ok).toBe(true);
    const later = new Date(Date.now() + (SIGN_IN_WINDOW_MINUTES + 1) * 60_000);
    expect((await authenticate(db, "target@nhs.net", "the right password", undefined, later)).ok).toBe(true);
  });
});

describe("session lifetime", () => {
  it("ends after 30 minutes idle and after 12 hours in any case", async () => {
    const { cookie, user } = await userWithSession(db, "reviewer");
    const request = new Request("http://localhost/", { headers: { Cookie: cookie } });
    const start = Date.now();
    expect((await getSessionUser(db, request, start + IDLE_TIMEOUT_MS - 5_000))?.id).toBe(user.id);
    // Keep it active every 20 minutes up to just under 12 hours: still signed in.
    let t = start + IDLE_TIMEOUT_MS - 5_000;
    while (t + 20 * 60_000 < start + ABSOLUTE_TIMEOUT_MS - 60_000) {
      t += 20 * 60_000;
      expect((await getSessionUser(db, request, t))?.id).toBe(user.id);
    }
    expect(await getSessionUser(db, request, start + ABSOLUTE_TIMEOUT_MS + 1_000)).toBeNull();

    const idle = await userWithSession(db, "reviewer");
    const idleRequest = new Request("http://localhost/", { headers: { Cookie: idle.cookie } });
    expect(await getSessionUser(db, idleRequest, Date.now() + IDLE_TIMEOUT_MS + 1_000)).toBeNull();
    // and the expired session cannot come back
    expect(await getSessionUser(db, idleRequest, Date.now())).toBeNull();
  });

  it("marks the cookie Secure under https", async () => {
    const res = await callAction(signIn.action, "/sign-in", { email: "ada@nhs.net", password: "long enough password" }, { cookie: anonymousCookie });
    expect(res.headers.get("Set-Cookie")).not.toMatch(/Secure/);
    const body = new URLSearchParams({ csrf: "test-csrf-token-0123456789", email: "ada@nhs.net", password: "long enough password" });
    const https = await signIn.action({
      request: new Request("https://audit.example.nhs.uk/sign-in", { method: "POST", body, headers: { Cookie: anonymousCookie, "Content-Type": "application/x-www-form-urlencoded" } }),
      params: {},
      context: {},
    });
    expect((https as Response).headers.get("Set-Cookie")).toMatch(/; Secure/);
  });
});
