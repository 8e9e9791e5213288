import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditLog from "~/routes/admin.audit-log";
import { formatDateTimeLondon } from "~/lib/dates";
import { listAuditActions, listAuditLog } from "~/models/audit-log.server";
import type { Db } from "~/utils/db.server";
import { callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: Awaited<ReturnType<typeof userWithSession>>;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = await userWithSession(db, "administrator", { email: "log-admin@example.nhs.uk" });
  // 120 entries a minute apart, from 1 March 2026 09:00 UTC; every tenth a role change.
  const start = Date.parse("2026-03-01T09:00:00.000Z");
  await db
    .insertInto("audit_log")
    .values(
      Array.from({ length: 120 }, (_, i) => ({
        at: new Date(start + i * 60_000).toISOString(),
        user_id: i % 2 === 0 ? admin.user.id : null,
        actor: i % 2 === 0 ? "log-admin@example.nhs.uk" : "someone@example.nhs.uk",
        action: i % 10 === 0 ? "change-role" : "sign-in",
        entity: i % 10 === 0 ? "user" : "session",
        entity_id: i % 10 === 0 ? String(i) : null,
        before: i % 10 === 0 ? JSON.stringify({ id: i, role: "auditor", name: "Ada" }) : null,
        after: i % 10 === 0 ? JSON.stringify({ id: i, role: "manager", name: "Ada" }) : null,
        ip: "192.0.2.1",
      })),
    )
    .execute();
});
afterAll(async () => env.cleanup());

describe("the audit log page", () => {
  it("lists entries newest first, 50 to a page", async () => {
    const res = await callLoader(auditLog.loader, "/admin/audit-log", { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const { entries, total, page, pages, first, last } = res.data;
    expect(total).toBe(120);
    expect([page, pages, first, last]).toEqual([1, 3, 1, 50]);
    expect(entries).toHaveLength(50);
    expect(entries[0].at).toBe("2026-03-01T10:59:00.000Z");
    const times = entries.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    // UK local time (GMT in March before the clocks change) and the UTC ISO.
    expect(entries[0].atLocal).toBe("1 March 2026 at 10:59am");
  });

  it("pages through, and a page past the end shows the last page", async () => {
    const p3 = await callLoader(auditLog.loader, "/admin/audit-log?page=3", { cookie: admin.cookie });
    expect(p3.data.page).toBe(3);
    expect(p3.data.entries).toHaveLength(20);
    expect(p3.data.entries.at(-1).at).toBe("2026-03-01T09:00:00.000Z");
    expect([p3.data.first, p3.data.last]).toEqual([101, 120]);
    const beyond = await callLoader(auditLog.loader, "/admin/audit-log?page=99", { cookie: admin.cookie });
    expect(beyond.data.page).toBe(3);
    const junk = await callLoader(auditLog.loader, "/admin/audit-log?page=abc", { cookie: admin.cookie });
    expect(junk.data.page).toBe(1);
  });

  it("filters by action and shows what changed", async () => {
    const res = await callLoader(auditLog.loader, "/admin/audit-log?action=change-role", { cookie: admin.cookie });
    expect(res.data.total).toBe(12);
    expect(res.data.pages).toBe(1);
    expect(res.data.filter.action).toBe("change-role");
    const [newest] = res.data.entries;
    expect(newest).toMatchObject({ action: "Role changed", entity: "user", entityId: "110", href: "/admin/users/110", actor: "log-admin@example.nhs.uk", ip: "192.0.2.1" });
    expect(newest.changes).toEqual(["role: auditor → manager"]);
    expect(newest.before).toBe("id: 110; role: auditor; name: Ada");
    expect(newest.after).toBe("id: 110; role: manager; name: Ada");
    expect(res.data.actions.map((a: { value: string }) => a.value)).toEqual(expect.arrayContaining(["change-role", "sign-in"]));
    const none = await callLoader(auditLog.loader, "/admin/audit-log?action=no-such-action", { cookie: admin.cookie });
    expect(none.data.total).toBe(0);
    expect(none.data.entries).toEqual([]);
  });

  it("filters by entity and by the user who acted", async () => {
    expect((await listAuditLog(db, { entity: "session" })).total).toBe(108);
    expect((await listAuditLog(db, { userId: admin.user.id })).total).toBe(60);
    const res = await callLoader(auditLog.loader, `/admin/audit-log?user=${admin.user.id}&action=change-role`, { cookie: admin.cookie });
    expect(res.data.total).toBe(12);
    const small = await listAuditLog(db, { pageSize: 7, page: 2 });
    expect(small.rows).toHaveLength(7);
    expect(small.pages).toBe(18);
    expect(await listAuditActions(db)).toEqual(["change-role", "sign-in"]);
  });

  it("shows times in UK time, with summer time", () => {
    expect(formatDateTimeLondon("2026-07-01T13:05:00.000Z")).toBe("1 July 2026 at 2:05pm");
    expect(formatDateTimeLondon("2026-12-01T12:00:00.000Z")).toBe("1 December 2026 at midday");
  });
});
