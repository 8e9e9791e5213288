/**
 * Issue #11 (item 7): `/sign-in?redirectTo=%2F%09%2F127.0.0.2%3A3999%2Fphish` sent a signed-in
 * user off-site (Chromium follows `Location: /\t/...` to another host). After sign-in only a
 * same-origin path that starts with one `/` and a letter or digit is followed; anything else
 * goes home.
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

async function signInWith(redirectTo: string) {
  const client = app.client();
  const reply = await client.post("/sign-in", { email: app.users.auditor.email, password: app.users.auditor.password, redirectTo });
  return { client, reply };
}

describe("after sign-in, only this site's own pages", () => {
  const hostile: [string, string][] = [
    ["the reported attack: a tab after the slash", "/\t/127.0.0.2:3999/phish"],
    ["a newline after the slash", "/\n/127.0.0.2:3999/phish"],
    ["a carriage return after the slash", "/\r/evil.example"],
    ["a control character between slashes", "/\u0000/evil.example"],
    ["a delete character between slashes", "/\u007f/evil.example"],
    ["a protocol-relative address", "//evil.example/phish"],
    ["a backslash", "/\\evil.example/phish"],
    ["a tab before the slashes", "\t//evil.example"],
    ["an absolute address", "https://evil.example/phish"],
    ["a javascript: address", "javascript:alert(1)"],
    ["dot segments that collapse to two slashes", "/a/..//evil.example/phish"],
    ["encoded dot segments", "/a/%2e%2e//evil.example/phish"],
    ["a leading space", " /audits"],
    ["an encoded slash after the first", "/%2F%2Fevil.example"],
    ["nothing after the slash", "/"],
    ["a non-Latin path", "/\u2028/evil.example"],
  ];
  test.each(hostile)("%s goes home", async (_label, redirectTo) => {
    const { client, reply } = await signInWith(redirectTo);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/");
    // The sign-in itself worked.
    expect((await client.get("/audits")).status).toBe(200);
  });

  const allowed: [string, string][] = [
    ["a page", "/audits"],
    ["a page with a query", "/admin/audit-log?user=1&page=2"],
    ["a nested page", "/audits/1/results"],
  ];
  test.each(allowed)("%s is kept", async (_label, redirectTo) => {
    const { reply } = await signInWith(redirectTo);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe(redirectTo);
    expect(new URL(reply.location!, app.baseUrl).origin).toBe(app.baseUrl);
  });

  test("a non-ASCII path is kept, percent-encoded, rather than answered with a 500", async () => {
    const { reply } = await signInWith("/audits?q=café");
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/audits?q=caf%C3%A9");
  });
});
