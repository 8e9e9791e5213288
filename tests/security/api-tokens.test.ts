/**
 * Issue #11 (item 13): a disabled user's API tokens worked again when the user was re-enabled.
 * Disabling a user now revokes their tokens for good.
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

test("disabling a user revokes their API tokens: re-enabling them does not bring the tokens back", async () => {
  const admin = await app.signedIn("administrator");
  const created = await admin.post("/admin/api-tokens", { intent: "create", userId: String(app.users.manager.id), name: "Power BI" });
  expect(created.status).toBe(200);
  const token = /sca_[A-Za-z0-9_-]{43}/.exec(created.text)?.[0];
  expect(token).toBeTruthy();
  const api = app.client();
  const call = () => api.get("/api/v1/audits", { Authorization: `Bearer ${token}` });
  expect((await call()).status).toBe(200);

  const user = `/admin/users/${app.users.manager.id}`;
  expect((await admin.post(user, { intent: "disable" })).status).toBe(302);
  expect((await call()).status).toBe(401);
  expect((await admin.post(user, { intent: "enable" })).status).toBe(302);
  expect((await call()).status).toBe(401);

  // The token list says it was revoked, and the audit log says why.
  const list = await admin.get("/admin/api-tokens");
  const row = /<tr[^>]*data-token="\d+"[^>]*>[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? "";
  expect(row).toContain("Power BI");
  expect(row).toContain("Revoked");
  const log = await admin.get("/admin/audit-log");
  expect(log.text).toContain("account disabled");
});
