/**
 * Issue #11 (item 6): throttling keys on the client address, so that address must be the
 * socket's unless the server is told it sits behind a proxy (TRUST_PROXY). Here it is not:
 * a client that makes up a new X-Forwarded-For for every guess is still one address.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startInstance, type Instance } from "./instance";

let app: Instance;
beforeAll(async () => {
  app = await startInstance();
});
afterAll(async () => {
  await app?.dispose();
});

test("without TRUST_PROXY a made-up X-Forwarded-For does not escape the throttle", async () => {
  const attacker = app.client();
  const email = app.users.reviewer.email;
  for (let i = 0; i < 5; i++) {
    const r = await attacker.post("/sign-in", { email, password: `wrong guess number ${i}` }, { headers: { "X-Forwarded-For": `203.0.113.${i + 1}` } });
    expect(r.status).toBe(400);
  }
  const next = await attacker.post("/sign-in", { email, password: app.users.reviewer.password }, { headers: { "X-Forwarded-For": "203.0.113.99" } });
  expect(next.status).toBe(400);
  expect(next.text).toContain("There have been too many unsuccessful attempts to sign in with this email address from your network");
});
