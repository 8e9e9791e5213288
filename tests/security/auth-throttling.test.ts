/**
 * Issue #11 (item 6): anyone could lock any account, the only administrator included, with 10
 * anonymous wrong passwords. Throttling is now by email address and client address together,
 * with growing delays, plus a cap per client address across email addresses: a stranger at
 * another address can never stop the real user signing in, and the account holder is told
 * about the unsuccessful attempts at their next sign-in.
 *
 * The server runs with TRUST_PROXY=loopback, as behind a reverse proxy in production, so each
 * test client can stand for a different address with X-Forwarded-For (documentation addresses,
 * sent only as a header to our own loopback server).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SIGN_IN_ADDRESS_FREE_FAILURES, SIGN_IN_FREE_FAILURES } from "~/lib/sign-in-throttle";
import { startInstance, type Client, type Instance } from "./instance";

let app: Instance;
beforeAll(async () => {
  app = await startInstance({ env: { TRUST_PROXY: "loopback" } });
});
afterAll(async () => {
  await app?.dispose();
});

/** A sign-in attempt from a given client address. */
function signInFrom(client: Client, address: string, email: string, password: string) {
  return client.post("/sign-in", { email, password, redirectTo: "/" }, { headers: { "X-Forwarded-For": address } });
}

/** The first message in the page's error summary. */
const errorOf = (html: string) => /nhsuk-error-summary__list"><li><a href="[^"]*">([^<]*)<\/a>/.exec(html)?.[1] ?? "";

describe("a stranger cannot lock anyone out", () => {
  test("ten anonymous wrong passwords for the only administrator do not stop the administrator signing in from another address", async () => {
    const attacker = app.client();
    for (let i = 0; i < 10; i++) {
      const r = await signInFrom(attacker, "203.0.113.10", app.users.administrator.email, `wrong guess number ${i}`);
      expect(r.status).toBe(400);
    }
    const admin = app.client();
    const reply = await signInFrom(admin, "198.51.100.20", app.users.administrator.email, app.users.administrator.password);
    expect(reply.status, errorOf(reply.text)).toBe(302);
    expect(reply.location).toBe("/");
    expect((await admin.get("/admin")).status).toBe(200);
  });

  test(`the guessing address is slowed down: after ${SIGN_IN_FREE_FAILURES} failures for one email it must wait, even with the right password`, async () => {
    expect(SIGN_IN_FREE_FAILURES).toBeLessThan(10);
    const attacker = app.client();
    const email = app.users.reviewer.email;
    for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) {
      const r = await signInFrom(attacker, "203.0.113.11", email, `wrong guess number ${i}`);
      expect(errorOf(r.text)).toBe("Enter a correct email address and password");
    }
    const sixth = await signInFrom(attacker, "203.0.113.11", email, app.users.reviewer.password);
    expect(sixth.status).toBe(400);
    expect(errorOf(sixth.text)).toMatch(/^There have been too many unsuccessful attempts to sign in with this email address from your network\. Wait \d+ (seconds|minutes?), then try again$/);
    expect(sixth.headers.getSetCookie().some((c) => c.startsWith("sca_session="))).toBe(false);
    // The real reviewer, elsewhere, is not slowed at all.
    const reviewer = app.client();
    expect((await signInFrom(reviewer, "198.51.100.21", email, app.users.reviewer.password)).status).toBe(302);
  });

  test(`one address cannot try many accounts: after ${SIGN_IN_ADDRESS_FREE_FAILURES} failures across email addresses it must wait for any of them`, async () => {
    const attacker = app.client();
    for (let i = 0; i < SIGN_IN_ADDRESS_FREE_FAILURES; i++) {
      const r = await signInFrom(attacker, "203.0.113.12", `nobody${i}@example.nhs.uk`, "wrong guess 12345");
      expect(errorOf(r.text)).toBe("Enter a correct email address and password");
    }
    const next = await signInFrom(attacker, "203.0.113.12", app.users.manager.email, app.users.manager.password);
    expect(next.status).toBe(400);
    expect(errorOf(next.text)).toMatch(/^There have been too many unsuccessful attempts to sign in from your network\. Wait \d+ (seconds|minutes?), then try again$/);
    // The manager, at their own address, signs in as usual.
    expect((await signInFrom(app.client(), "198.51.100.22", app.users.manager.email, app.users.manager.password)).status).toBe(302);
  });
});

describe("the account holder is told", () => {
  test("after unsuccessful attempts, the next sign-in shows how many there were, once", async () => {
    const email = app.users.auditor.email;
    const stranger = app.client();
    for (let i = 0; i < 3; i++) await signInFrom(stranger, "203.0.113.13", email, `wrong guess number ${i}`);
    const auditor = app.client();
    const reply = await signInFrom(auditor, "198.51.100.23", email, app.users.auditor.password);
    expect(reply.status).toBe(302);
    const home = await auditor.get(reply.location!);
    expect(home.status).toBe(200);
    expect(home.text).toContain("There were 3 unsuccessful attempts to sign in to your account since you last signed in. If this was not you, tell your administrator.");
    // Shown once, then gone; and a clean sign-in afterwards has nothing to report.
    expect((await auditor.get("/dashboard")).text).not.toContain("unsuccessful attempt");
    const again = app.client();
    await signInFrom(again, "198.51.100.23", email, app.users.auditor.password);
    expect((await again.get("/")).text).not.toContain("unsuccessful attempt");
  });
});
