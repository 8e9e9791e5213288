import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthz from "~/routes/healthz";
import * as home from "~/routes/_index";
import * as setup from "~/routes/setup";
import * as signIn from "~/routes/sign-in";
import * as signOut from "~/routes/sign-out";
import * as root from "~/root";
import { SIGN_IN_ADDRESS_FREE_FAILURES, SIGN_IN_FREE_FAILURES } from "~/lib/sign-in-throttle";
import { authenticate } from "~/models/users.server";
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
  const from = (ip: string) => new Request("http://localhost/sign-in", { method: "POST", headers: { "x-audit-client-ip": ip } });
  const start = Date.now();
  const at = (seconds: number) => new Date(start + seconds * 1000);

  it(`slows guessing for one email from one address after ${SIGN_IN_FREE_FAILURES} failures, longer each time, even with the right password`, async () => {
    await userWithSession(db, "auditor", { email: "target@nhs.net", password: "the right password" });
    for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) {
      expect(await authenticate(db, "target@nhs.net", `guess number ${i}`, from("192.0.2.1"), at(0))).toEqual({ ok: false, reason: "invalid" });
    }
    // 30 seconds after the 5th failure, then 1 minute after the 6th, then 2 minutes after the 7th.
    expect(await authenticate(db, "target@nhs.net", "the right password", from("192.0.2.1"), at(1))).toEqual({ ok: false, reason: "throttled", scope: "email", waitSeconds: 29 });
    expect(await authenticate(db, "target@nhs.net", "guess number 5", from("192.0.2.1"), at(30))).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(db, "target@nhs.net", "guess number 6", from("192.0.2.1"), at(31))).toEqual({ ok: false, reason: "throttled", scope: "email", waitSeconds: 59 });
    expect(await authenticate(db, "target@nhs.net", "guess number 6", from("192.0.2.1"), at(90))).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(db, "target@nhs.net", "guess number 7", from("192.0.2.1"), at(91))).toEqual({ ok: false, reason: "throttled", scope: "email", waitSeconds: 119 });
    // Refused attempts do not make the wait longer.
    expect(await authenticate(db, "target@nhs.net", "guess number 7", from("192.0.2.1"), at(92))).toEqual({ ok: false, reason: "throttled", scope: "email", waitSeconds: 118 });

    // The account holder at another address is never slowed, and is told about the 11 unsuccessful attempts (8 wrong passwords, 3 refused).
    const real = await authenticate(db, "target@nhs.net", "the right password", from("198.51.100.7"), at(93));
    expect(real).toMatchObject({ ok: true, unsuccessfulAttempts: 11 });

    // Once the wait is over, the right password from the guessing address works too, and starts the count again.
    expect((await authenticate(db, "target@nhs.net", "the right password", from("192.0.2.1"), at(90 + 120))).ok).toBe(true);
    expect(await authenticate(db, "target@nhs.net", "one more typo", from("192.0.2.1"), at(211))).toEqual({ ok: false, reason: "invalid" });
  });

  it("tells the user trying to sign in how long to wait", async () => {
    await userWithSession(db, "auditor", { email: "typist@nhs.net", password: "the right password" });
    for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) {
      const r = await callAction(signIn.action, "/sign-in", { email: "typist@nhs.net", password: `guess number ${i}` }, { cookie: anonymousCookie });
      expect(r.data.errors.email).toBe("Enter a correct email address and password");
    }
    const slowed = await callAction(signIn.action, "/sign-in", { email: "typist@nhs.net", password: "the right password" }, { cookie: anonymousCookie });
    expect(slowed.status).toBe(400);
    expect(slowed.data.errors.email).toMatch(/^There have been too many unsuccessful attempts to sign in with this email address from your network\. Wait \d+ seconds, then try again$/);
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "sign-in-throttled").where("actor", "=", "typist@nhs.net").executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ scope: "email" });
  });

  it(`caps one address at ${SIGN_IN_ADDRESS_FREE_FAILURES} failures across all email addresses; other addresses are not affected`, async () => {
    await userWithSession(db, "manager", { email: "sprayed@nhs.net", password: "the right password" });
    // The failures as the model records them (checking 30 passwords would only make the test slow).
    await db
      .insertInto("sign_in_attempts")
      .values(Array.from({ length: SIGN_IN_ADDRESS_FREE_FAILURES - 1 }, (_, i) => ({ email: `person${i}@nhs.net`, ip: "192.0.2.50", at: at(0).toISOString(), outcome: "failed" as const })))
      .execute();
    expect(await authenticate(db, "someone.else@nhs.net", "Summer2026!!", from("192.0.2.50"), at(0))).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(db, "sprayed@nhs.net", "the right password", from("192.0.2.50"), at(1))).toEqual({ ok: false, reason: "throttled", scope: "address", waitSeconds: 29 });
    expect((await authenticate(db, "sprayed@nhs.net", "the right password", from("198.51.100.8"), at(1))).ok).toBe(true);
  });

  it("counts attempts sent all at once: no more than the free failures get their password checked", async () => {
    await userWithSession(db, "auditor", { email: "burst@nhs.net", password: "the right password" });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => authenticate(db, "burst@nhs.net", `guess ${i}`, from("192.0.2.77"), at(0))));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(SIGN_IN_FREE_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(10 - SIGN_IN_FREE_FAILURES);
  });

  it("shows the account holder the unsuccessful attempts once, on the first page after signing in", async () => {
    await userWithSession(db, "reviewer", { email: "told@nhs.net", password: "the right password" });
    await callAction(signIn.action, "/sign-in", { email: "told@nhs.net", password: "not it at all" }, { cookie: anonymousCookie });
    await callAction(signIn.action, "/sign-in", { email: "told@nhs.net", password: "not it either" }, { cookie: anonymousCookie });
    const res = await callAction(signIn.action, "/sign-in", { email: "told@nhs.net", password: "the right password" }, { cookie: anonymousCookie });
    const cookie = `sca_session=${sessionFrom(res.headers.get("Set-Cookie"))}; ${anonymousCookie}`;
    expect((await callLoader(root.loader, "/", { cookie })).data.unsuccessfulAttempts).toBe(2);
    expect((await callLoader(root.loader, "/", { cookie })).data.unsuccessfulAttempts).toBe(0);
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "sign-in").where("actor", "=", "told@nhs.net").executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toEqual({ unsuccessfulAttemptsSinceLastSignIn: 2 });
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
