import { describe, expect, it } from "vitest";
import { defaultDueDate, filtersToSearch, isOverdue, parseActionFilters, sortForFollowUp } from "~/lib/actions";
import { actionExportTable, EXPORT_HEADINGS, type ActionRow } from "~/models/actions.server";
import { newActionSchema, actionStatusSchema } from "~/schemas/actions";

describe("isOverdue", () => {
  const today = "2026-03-10";
  it("is overdue when not done and due before today", () => {
    expect(isOverdue({ status: "open", due_date: "2026-03-09" }, today)).toBe(true);
    expect(isOverdue({ status: "in_progress", dueDate: "2025-12-31" }, today)).toBe(true);
  });
  it("is not overdue on the due date itself, or later", () => {
    expect(isOverdue({ status: "open", due_date: "2026-03-10" }, today)).toBe(false);
    expect(isOverdue({ status: "open", due_date: "2026-03-11" }, today)).toBe(false);
  });
  it("is never overdue once done", () => {
    expect(isOverdue({ status: "done", due_date: "2020-01-01" }, today)).toBe(false);
  });
  it("compares dates, not text, across a year boundary", () => {
    expect(isOverdue({ status: "open", due_date: "2025-12-31" }, "2026-01-01")).toBe(true);
    expect(isOverdue({ status: "open", due_date: "2026-01-01" }, "2025-12-31")).toBe(false);
  });
});

describe("defaultDueDate: 20 working days ahead", () => {
  it("skips weekends", () => {
    // Monday 2 March 2026 + 20 working days (no bank holidays) = Monday 30 March 2026.
    expect(defaultDueDate("2026-03-02")).toBe("2026-03-30");
  });
  it("skips Christmas, the Boxing Day substitute and New Year's Day", () => {
    // From Mon 14 Dec 2026: 25 Dec (Fri), 28 Dec (Boxing Day substitute) and 1 Jan 2027 are not counted.
    expect(defaultDueDate("2026-12-14")).toBe("2027-01-14");
  });
  it("skips Easter (Good Friday and Easter Monday 2026)", () => {
    // Wed 25 March 2026 + 20 working days, without 3 and 6 April: Friday 24 April 2026.
    expect(defaultDueDate("2026-03-25")).toBe("2026-04-24");
  });
  it("counts from a weekend day as day 0", () => {
    expect(defaultDueDate("2026-03-01")).toBe("2026-03-27");
  });
});

describe("filters from the query string", () => {
  it("reads owner (person or named role), service, status and overdue, ignoring junk", () => {
    expect(parseActionFilters(new URLSearchParams("owner=u12&service=3&status=in_progress&overdue=yes"))).toEqual({ ownerUserId: 12, serviceId: 3, status: "in_progress", overdue: true });
    expect(parseActionFilters(new URLSearchParams("owner=r:Named nurse&status=finished&service=x"))).toEqual({ ownerRole: "Named nurse" });
    expect(parseActionFilters(new URLSearchParams("owner=u0&service=-1&overdue=1"))).toEqual({});
  });
  it("round-trips through filtersToSearch", () => {
    const f = { ownerRole: "Named nurse", serviceId: 4, status: "open" as const, overdue: true };
    expect(parseActionFilters(filtersToSearch(f))).toEqual(f);
  });
});

describe("sortForFollowUp (My actions)", () => {
  it("puts overdue first, then the rest by due date, then done", () => {
    const rows = [
      { id: 1, status: "open", dueDate: "2026-04-01" },
      { id: 2, status: "done", dueDate: "2026-01-01" },
      { id: 3, status: "in_progress", dueDate: "2026-02-01" },
      { id: 4, status: "open", dueDate: "2026-01-15" },
      { id: 5, status: "open", dueDate: "2026-03-20" },
    ];
    expect(sortForFollowUp(rows, "2026-03-10").map((r) => r.id)).toEqual([4, 3, 5, 1, 2]);
  });
});

function row(over: Partial<ActionRow>): ActionRow {
  return {
    id: 1,
    auditId: 1,
    auditTitle: "IHA audit",
    criterionId: "c1",
    criterion: "Was the IHA done in time?",
    description: "Book IHAs within 5 days",
    ownerUserId: null,
    ownerRole: "Named nurse",
    owner: "Named nurse",
    dueDate: "2026-04-01",
    status: "open",
    overdue: false,
    evidence: null,
    completedAt: null,
    createdAt: "2026-03-01T10:00:00.000Z",
    services: [{ id: 1, name: "LAC health team" }],
    ...over,
  };
}

describe("export cells", () => {
  it("has the headings, then one row per action with owner, due date, status and overdue in words", () => {
    const t = actionExportTable([row({ overdue: true, status: "in_progress" })]);
    expect(t[0]).toEqual([...EXPORT_HEADINGS]);
    expect(t[1]).toEqual(["IHA audit", "Was the IHA done in time?", "Book IHAs within 5 days", "Named nurse", "LAC health team", "2026-04-01", "In progress", "Yes", "", ""]);
  });
  it("neutralises every cell a spreadsheet would run as a formula, and leaves others alone", () => {
    const t = actionExportTable([
      row({ description: "=HYPERLINK(\"http://x\")", owner: "+44 role", auditTitle: "-1+2", evidence: "@SUM(A1)", criterion: "\tTabbed" }),
      row({ description: "\rCarriage", evidence: "a = b", owner: "Lead - LAC" }),
    ]);
    expect(t[1][0]).toBe("'-1+2");
    expect(t[1][1]).toBe("'\tTabbed");
    expect(t[1][2]).toBe("'=HYPERLINK(\"http://x\")");
    expect(t[1][3]).toBe("'+44 role");
    expect(t[1][8]).toBe("'@SUM(A1)");
    expect(t[2][2]).toBe("'\rCarriage");
    expect(t[2][8]).toBe("a = b");
    expect(t[2][3]).toBe("Lead - LAC");
  });
});

describe("form schemas", () => {
  it("an empty new action gives every message at once", () => {
    const r = newActionSchema("2026-03-10").safeParse({ description: "", ownerUserId: "", ownerRole: "", dueDate: { day: "", month: "", year: "" }, serviceIds: [] });
    expect(r.success).toBe(false);
    const messages = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(messages).toMatchObject({ description: "Enter what will change", dueDate: "Enter a due date", ownerUserId: "Select who owns this action" });
  });
  it("refuses a person and a role together, a past due date, and an action addressing nothing", () => {
    const r = newActionSchema("2026-03-10").safeParse({ description: "x", ownerUserId: "3", ownerRole: "Lead", dueDate: { day: "9", month: "3", year: "2026" }, serviceIds: [] });
    const messages = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(messages).toEqual({
      ownerRole: "Choose a person or enter a named role, not both",
      dueDate: "Due date must be today or in the future",
      serviceIds: "Select the services this action addresses, or choose a criterion",
    });
  });
  it("accepts a criterion action owned by a role, due today", () => {
    const r = newActionSchema("2026-03-10").safeParse({ criterionId: "c1", description: " Do it ", ownerUserId: "", ownerRole: "Named nurse", dueDate: { day: "10", month: "3", year: "2026" } });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ criterionId: "c1", description: "Do it", ownerRole: "Named nurse", dueDate: "2026-03-10", serviceIds: [] });
  });
  it("done needs evidence", () => {
    expect(actionStatusSchema.safeParse({ status: "done", evidence: "  " }).error?.issues[0]).toMatchObject({ path: ["evidence"], message: "Enter the evidence that this action is done" });
    expect(actionStatusSchema.safeParse({ status: "in_progress", evidence: "" }).success).toBe(true);
    expect(actionStatusSchema.safeParse({ status: "closed" }).success).toBe(false);
  });
});
