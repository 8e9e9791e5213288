/**
 * Issue #11 (item 15): security headers. HSTS when served over HTTPS (behind a proxy that says
 * so, with TRUST_PROXY), a Content-Security-Policy whose scripts need a per-request nonce
 * (no 'unsafe-inline' for scripts), and X-Frame-Options DENY to match frame-ancestors 'none'.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startInstance, type Instance } from "./instance";

let app: Instance;
beforeAll(async () => {
  app = await startInstance({ env: { TRUST_PROXY: "loopback" } });
});
afterAll(async () => {
  await app?.dispose();
});

/** The CSP's directives by name. */
function directives(csp: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name] = values;
  }
  return out;
}

describe("Content-Security-Policy", () => {
  test("scripts need this response's nonce: no 'unsafe-inline', and every script on the page carries the nonce", async () => {
    const admin = await app.signedIn("administrator");
    for (const page of ["/sign-in", "/", "/admin", "/audits/999999"]) {
      const client = page === "/sign-in" ? app.client() : admin;
      const reply = await client.get(page);
      const csp = directives(reply.headers.get("Content-Security-Policy"));
      expect(csp["script-src"], page).toBeDefined();
      expect(csp["script-src"], page).not.toContain("'unsafe-inline'");
      const nonces = csp["script-src"].filter((v) => v.startsWith("'nonce-"));
      expect(nonces, page).toHaveLength(1);
      const nonce = nonces[0].slice("'nonce-".length, -1);
      expect(nonce.length).toBeGreaterThanOrEqual(16);
      const scripts = reply.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, `${page}: ${tag}`).toContain(`nonce="${nonce}"`);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
    }
  });

  test("the nonce is new for every response", async () => {
    const client = app.client();
    const a = directives((await client.get("/sign-in")).headers.get("Content-Security-Policy"))["script-src"];
    const b = directives((await client.get("/sign-in")).headers.get("Content-Security-Policy"))["script-src"];
    expect(a.find((v) => v.startsWith("'nonce-"))).not.toBe(b.find((v) => v.startsWith("'nonce-")));
  });
});

describe("framing", () => {
  test("X-Frame-Options is DENY", async () => {
    const reply = await app.client().get("/sign-in");
    expect(reply.headers.get("X-Frame-Options")).toBe("DENY");
  });
});

describe("Strict-Transport-Security", () => {
  test("sent when the proxy says the request came over HTTPS", async () => {
    const reply = await app.client().get("/sign-in", { "X-Forwarded-Proto": "https" });
    expect(reply.headers.get("Strict-Transport-Security")).toMatch(/^max-age=31536000\b/);
  });

  test("not sent over plain HTTP, where browsers would ignore it", async () => {
    const reply = await app.client().get("/sign-in");
    expect(reply.headers.get("Strict-Transport-Security")).toBeNull();
  });
});
