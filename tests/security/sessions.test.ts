/**
 * Issue #11 (item 12): signing in as another user in the same browser left the previous
 * session token valid. Signing in now ends the session the browser had, and anyone signed in
 * can sign out everywhere (every browser and device) at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Client, startInstance, type Instance } from "./instance";

let app: Instance;
beforeAll(async () => {
  app = await startInstance();
});
afterAll(async () => {
  await app?.dispose();
});

/** A client holding just this session token (as a copied or stolen cookie would be). */
function withToken(token: string) {
  const c = new Client(app.baseUrl);
  c.jar.set("sca_session", token);
  return c;
}

describe("signing in ends the browser's previous session", () => {
  test("after signing in as someone else, the first user's token no longer works", async () => {
    const browser = await app.signedIn("auditor");
    const first = browser.jar.get("sca_session")!;
    expect((await withToken(first).get("/my-cases")).status).toBe(200);

    await browser.signIn(app.users.manager.email, app.users.manager.password);
    const second = browser.jar.get("sca_session")!;
    expect(second).not.toBe(first);
    const replay = await withToken(first).get("/my-cases");
    expect(replay.status).toBe(302);
    expect(replay.location).toMatch(/^\/sign-in/);
    expect((await browser.get("/dashboard")).status).toBe(200);
  });

  test("signing in again as the same user replaces the token too", async () => {
    const browser = await app.signedIn("reviewer");
    const first = browser.jar.get("sca_session")!;
    await browser.signIn(app.users.reviewer.email, app.users.reviewer.password);
    expect((await withToken(first).get("/audits")).status).toBe(302);
    expect((await browser.get("/audits")).status).toBe(200);
  });
});

describe("sign out everywhere", () => {
  test("the account page offers it, and it ends every session of that user only", async () => {
    const laptop = await app.signedIn("auditor");
    const phone = await app.signedIn("auditor");
    const colleague = await app.signedIn("reviewer");

    const page = await laptop.get("/account");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Sign out everywhere");
    expect(page.text).toContain(app.users.auditor.email);

    const reply = await laptop.post("/sign-out", { everywhere: "yes" });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/sign-in?signedOut=everywhere");
    expect((await laptop.get(reply.location!)).text).toContain("You have been signed out everywhere");

    for (const c of [laptop, phone]) {
      const r = await c.get("/audits");
      expect(r.status).toBe(302);
      expect(r.location).toMatch(/^\/sign-in/);
    }
    expect((await colleague.get("/audits")).status).toBe(200);
  });

  test("it is recorded in the audit log", async () => {
    const auditor = await app.signedIn("auditor");
    await auditor.post("/sign-out", { everywhere: "yes" });
    const admin = await app.signedIn("administrator");
    const log = await admin.get(`/admin/audit-log?user=${app.users.auditor.id}`);
    expect(log.text).toContain("Signed out everywhere");
  });

  test("it needs the CSRF token", async () => {
    const auditor = await app.signedIn("auditor");
    const other = await app.signedIn("auditor");
    const reply = await auditor.post("/sign-out", { everywhere: "yes" }, { csrf: false });
    expect(reply.status).toBe(403);
    expect((await other.get("/audits")).status).toBe(200);
  });
});
