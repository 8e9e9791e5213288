/**
 * Issue #11 (item 9): requests a browser or an attacker can send answered 500: `Origin: null` on
 * a page POST, a `redirectTo` with a newline, and a malformed session cookie (`%E0%A4%A`, a
 * URIError on every page). Each is now a 4xx, or the cookie is ignored, and the user's session
 * is untouched.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startInstance, type Instance } from "./instance";

let app: Instance;
beforeAll(async () => {
  app = await startInstance();
});
afterAll(async () => {
  await app?.dispose();
});

describe("cross-origin and forged-origin posts", () => {
  test("Origin: null on a page POST is refused with 403, and the session still works", async () => {
    const auditor = await app.signedIn("auditor");
    const reply = await auditor.post("/audits/new", { title: "From nowhere" }, { headers: { Origin: "null" } });
    expect(reply.status).toBe(403);
    expect(reply.text).toContain("did not come from this service");
    expect((await auditor.get("/audits")).status).toBe(200);
  });

  test("a sign-in POST with Origin: null is refused with 403 and signs nobody in", async () => {
    const client = app.client();
    const reply = await client.post("/sign-in", { email: app.users.auditor.email, password: app.users.auditor.password }, { headers: { Origin: "null" } });
    expect(reply.status).toBe(403);
    expect(client.jar.has("sca_session")).toBe(false);
  });

  test("an Origin that is not an address is refused with 403", async () => {
    const auditor = await app.signedIn("auditor");
    const reply = await auditor.post("/audits/new", { title: "x" }, { headers: { Origin: "not a url" } });
    expect(reply.status).toBe(403);
    expect((await auditor.get("/audits")).status).toBe(200);
  });

  test("a made-up X-Forwarded-Host on a same-origin POST is a 4xx, not a 500", async () => {
    const auditor = await app.signedIn("auditor");
    const reply = await auditor.post("/audits/new", { title: "x" }, { headers: { Origin: app.baseUrl, "X-Forwarded-Host": "evil.example" } });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect((await auditor.get("/audits")).status).toBe(200);
  });
});

describe("redirectTo", () => {
  test("a newline in redirectTo after a correct sign-in is dropped: a redirect on this site with the session cookie, and no injected header", async () => {
    const client = app.client();
    const reply = await client.post("/sign-in", { email: app.users.manager.email, password: app.users.manager.password, redirectTo: "/audits\r\nSet-Cookie: x=y" });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/auditsSet-Cookie:%20x=y");
    expect(client.jar.has("x")).toBe(false);
    expect(client.jar.has("sca_session")).toBe(true);
    expect((await client.get("/audits")).status).toBe(200);
    const plain = await app.client().post("/sign-in", { email: app.users.manager.email, password: app.users.manager.password, redirectTo: "/audits\n" });
    expect(plain.location).toBe("/audits");
  });
});

describe("malformed cookies", () => {
  const pages = ["/", "/sign-in", "/dashboard", "/audits", "/healthz"];

  test.each(pages)("a malformed session cookie is ignored on %s (never a 500)", async (page) => {
    const client = app.client();
    await client.csrf();
    const reply = await client.get(page, { Cookie: `sca_csrf=${client.jar.get("sca_csrf")}; sca_session=%E0%A4%A` });
    expect(reply.status).toBeLessThan(500);
    if (page === "/dashboard" || page === "/audits") expect(reply.location).toMatch(/^\/sign-in\?redirectTo=/);
  });

  test("someone signed in whose other cookies are malformed stays signed in", async () => {
    const auditor = await app.signedIn("auditor");
    const session = auditor.jar.get("sca_session");
    const reply = await auditor.get("/audits", { Cookie: `junk=%E0%A4%A; sca_session=${session}; sca_csrf=${auditor.jar.get("sca_csrf")}` });
    expect(reply.status).toBe(200);
  });

  test("a malformed CSRF cookie is replaced, so forms work again", async () => {
    const client = app.client();
    const reply = await client.get("/sign-in", { Cookie: "sca_csrf=%E0%A4%A" });
    expect(reply.status).toBe(200);
    const fresh = reply.headers.getSetCookie().find((c) => c.startsWith("sca_csrf="));
    expect(fresh).toBeTruthy();
    // With the new cookie the sign-in form works.
    const token = /^sca_csrf=([^;]+)/.exec(fresh!)![1];
    client.jar.set("sca_csrf", token);
    const signIn = await client.post("/sign-in", { email: app.users.auditor.email, password: app.users.auditor.password, redirectTo: "/" });
    expect(signIn.status).toBe(302);
  });

  test("a malformed session cookie sent with a POST is a 4xx or ignored, never a 500", async () => {
    const client = app.client();
    const csrf = await client.csrf();
    const body = new URLSearchParams({ csrf, email: app.users.auditor.email, password: app.users.auditor.password, redirectTo: "/" });
    const reply = await client.request("POST", "/sign-in", {
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `sca_csrf=${csrf}; sca_session=%E0%A4%A` },
    });
    expect(reply.status).toBe(302);
  });
});
