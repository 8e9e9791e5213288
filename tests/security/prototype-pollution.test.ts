/**
 * Issue #11 (critical 1): form field names such as `__proto__.email` must never reach
 * Object.prototype. One anonymous post used to make every later sign-in answer 400 until restart.
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

describe("prototype pollution through form field names", () => {
  test("an anonymous post with __proto__.email does not stop the next user signing in", async () => {
    const attacker = app.client();
    const attack = await attacker.post("/sign-in", { "__proto__.email": "x", email: "nobody@example.nhs.uk", password: "wrong password 123" });
    expect(attack.status).toBeLessThan(500);
    const victim = app.client();
    const reply = await victim.post("/sign-in", { email: app.users.auditor.email, password: app.users.auditor.password, redirectTo: "/" });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/");
  });
});

describe("prototype pollution reaches no later request", () => {
  test("constructor.prototype.* and __proto__.title from a signed-in user change nothing for the next audit", async () => {
    const auditor = await app.signedIn("auditor");
    const attack = await auditor.post("/audits/new", { "__proto__.title": "Pwned", "constructor.prototype.title": "Pwned too", "__proto__.email": "x" });
    expect(attack.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).title).toBeUndefined();
    // Without a title the form must say so, not borrow the attacker's.
    const next = await auditor.post("/audits/new", {});
    expect(next.status).toBe(400);
    expect(next.text).not.toContain("Pwned");
    // And sign-in still works for everyone.
    const other = app.client();
    const reply = await other.post("/sign-in", { email: app.users.manager.email, password: app.users.manager.password, redirectTo: "/" });
    expect(reply.status).toBe(302);
  });
});
