/**
 * Issue #11 (item 8): pages with case data could be cached (no Cache-Control on the case,
 * audit, IHA review, moderation, My cases and audit-log pages, nor on the page that shows a new
 * API token once). Every page and response of the app now says `Cache-Control: no-store`;
 * only the static files under /build and /assets may be cached.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startInstance, type Client, type Instance, type Reply } from "./instance";

let app: Instance;
let reviewer: Client;
beforeAll(async () => {
  app = await startInstance({ demo: true });
  reviewer = await app.signedIn("reviewer");
});
afterAll(async () => {
  await app?.dispose();
});

function expectNoStore(reply: Reply, what: string) {
  expect(reply.status, `${what} answered ${reply.status}`).toBeLessThan(400);
  expect(reply.headers.get("Cache-Control"), what).toBe("no-store");
}

/** The first link on a page matching a pattern (the pages' own links lead to real records). */
async function firstLink(client: Client, page: string, pattern: RegExp): Promise<string> {
  const html = (await client.get(page)).text;
  const found = new RegExp(`href="(${pattern.source})"`).exec(html)?.[1];
  if (!found) throw new Error(`No link like ${pattern} on ${page}`);
  return found;
}

describe("pages with case data", () => {
  test("audit, case, IHA review and moderation pages (reviewer)", async () => {
    const audit = await firstLink(reviewer, "/audits", /\/audits\/\d+/);
    expectNoStore(await reviewer.get(audit), "the audit page");
    const casePage = await firstLink(reviewer, audit, /\/audits\/\d+\/cases\/\d+/);
    expectNoStore(await reviewer.get(casePage), "a case page");
    expectNoStore(await reviewer.get(`${audit}/moderation`), "the moderation page");
    expectNoStore(await reviewer.get(`${audit}/results`), "the results page");
    expectNoStore(await reviewer.get("/reviews"), "the IHA review queue");
    const review = await firstLink(reviewer, "/reviews", /\/reviews\/\d+/);
    expectNoStore(await reviewer.get(review), "an IHA review page");
  });

  test("My cases (auditor), the dashboard (manager) and the audit log (administrator)", async () => {
    const auditor = await app.signedIn("auditor");
    expectNoStore(await auditor.get("/my-cases"), "My cases");
    const manager = await app.signedIn("manager");
    expectNoStore(await manager.get("/dashboard"), "the dashboard");
    const admin = await app.signedIn("administrator");
    expectNoStore(await admin.get("/admin/audit-log"), "the audit log");
    expectNoStore(await admin.get("/admin/users"), "the users page");
  });

  test("the page that shows a new API token once", async () => {
    const admin = await app.signedIn("administrator");
    const reply = await admin.post("/admin/api-tokens", { intent: "create", userId: String(app.users.manager.id), name: "Excel" });
    expect(reply.text).toMatch(/sca_[A-Za-z0-9_-]{43}/);
    expectNoStore(reply, "the new token page");
  });
});

describe("every other answer of the app", () => {
  test("data requests, redirects, error pages and the sign-in page", async () => {
    expectNoStore(await reviewer.get("/audits.data"), "a data request");
    expectNoStore(await reviewer.get("/_root.data"), "the root data request");
    const notFound = await reviewer.get("/audits/999999");
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("Cache-Control")).toBe("no-store");
    const anonymous = app.client();
    expectNoStore(await anonymous.get("/sign-in"), "the sign-in page");
    expectNoStore(await anonymous.get("/audits"), "the redirect to sign in");
    const signIn = await anonymous.post("/sign-in", { email: app.users.auditor.email, password: app.users.auditor.password });
    expectNoStore(signIn, "the sign-in redirect that sets the session cookie");
  });

  test("static files stay cacheable", async () => {
    const html = (await reviewer.get("/audits")).text;
    const script = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    expect((await reviewer.get(script!)).headers.get("Cache-Control")).toMatch(/max-age=31536000/);
  });
});
