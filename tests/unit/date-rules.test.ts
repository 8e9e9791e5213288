import { describe, expect, it } from "vitest";
import { evaluateRule } from "~/lib/date-rules";
import { RuleSchema, type Rule } from "~/schemas/template";

const within: Rule = { type: "within_working_days", from: "referral", to: "assessed", days: 20 };
const iha: Rule = { type: "iha_timeliness", lookedAfter: "looked_after", seen: "seen", reportSent: "sent", days: 20 };

describe("within_working_days", () => {
  it.each([
    // domain.md worked examples: Christmas, Christmas + New Year, Easter
    ["2025-12-01", "2025-12-31", "2026-01-02"],
    ["2025-12-15", "2026-01-15", "2026-01-16"],
    ["2026-03-20", "2026-04-21", "2026-04-22"],
  ])("from %s is due %s: met on the due date, not met one working day later (%s)", (from, due, nextWorkingDay) => {
    const onDue = evaluateRule(within, { referral: from, assessed: due }, "2026-06-01");
    expect(onDue).toMatchObject({ answer: "met", dueDate: due, workingDaysElapsed: 20, overdue: false });
    const late = evaluateRule(within, { referral: from, assessed: nextWorkingDay }, "2026-06-01");
    expect(late).toMatchObject({ answer: "not_met", dueDate: due, workingDaysElapsed: 21, overdue: false });
  });

  it("says in plain English when it was done and whether on time", () => {
    expect(evaluateRule(within, { referral: "2025-12-01", assessed: "2025-12-31" }, "2026-06-01").summary).toBe(
      "Done on 31 December 2025, 20 working days after 1 December 2025 (due by 31 December 2025): on time.",
    );
    expect(evaluateRule(within, { referral: "2025-12-01", assessed: "2026-01-02" }, "2026-06-01").summary).toBe(
      "Done on 2 January 2026, 21 working days after 1 December 2025 (due by 31 December 2025): late.",
    );
  });

  it("is met when done on the event date itself", () => {
    expect(evaluateRule(within, { referral: "2026-01-05", assessed: "2026-01-05" }, "2026-06-01")).toMatchObject({
      answer: "met",
      workingDaysElapsed: 0,
    });
  });

  it("is not met and overdue once the due date has passed without the event", () => {
    // 1 January 2026 is a bank holiday but still past the due date of 31 December.
    const result = evaluateRule(within, { referral: "2025-12-01", assessed: null }, "2026-01-01");
    expect(result).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2025-12-31", workingDaysElapsed: 20 });
    expect(result.summary).toMatch(/^Not done and now overdue \(due by 31 December 2025/);
  });

  it("cannot be determined while the event has not happened and is not yet due", () => {
    const onDueDate = evaluateRule(within, { referral: "2025-12-01" }, "2025-12-31");
    expect(onDueDate).toMatchObject({ answer: null, overdue: false, dueDate: "2025-12-31", workingDaysElapsed: 20 });
    expect(onDueDate.summary).toMatch(/not yet due/);
    expect(evaluateRule(within, { referral: "2025-12-01" }, "2025-12-10")).toMatchObject({
      answer: null,
      workingDaysElapsed: 7,
    });
  });

  it("cannot be determined without the start date, even when the end date is entered", () => {
    for (const referral of [undefined, null, "", "   "]) {
      const result = evaluateRule(within, { referral, assessed: "2025-12-10" }, "2026-06-01");
      expect(result).toMatchObject({ answer: null, dueDate: null, workingDaysElapsed: null, overdue: false });
      expect(result.summary).toBe("Enter “referral” to work this out.");
    }
  });

  it("uses field labels in the summary when given them", () => {
    const result = evaluateRule(within, {}, "2026-06-01", { referral: "Date of referral" });
    expect(result.summary).toBe("Enter “Date of referral” to work this out.");
  });

  it("lists the dates used in rule order", () => {
    expect(evaluateRule(within, { assessed: "2025-12-10", referral: "2025-12-01" }, "2026-06-01").datesUsed).toEqual([
      { field: "referral", date: "2025-12-01" },
      { field: "assessed", date: "2025-12-10" },
    ]);
    expect(evaluateRule(within, {}, "2026-06-01").datesUsed).toEqual([
      { field: "referral", date: null },
      { field: "assessed", date: null },
    ]);
  });

  it("cannot be determined when the end is before the start", () => {
    const result = evaluateRule(within, { referral: "2025-12-10", assessed: "2025-12-01" }, "2026-06-01");
    expect(result.answer).toBeNull();
    expect(result.summary).toMatch(/“assessed” \(1 December 2025\) is before “referral” \(10 December 2025\)/);
  });

  it("cannot be determined from a date that is not real", () => {
    const result = evaluateRule(within, { referral: "2025-02-30", assessed: "2025-03-01" }, "2026-06-01");
    expect(result.answer).toBeNull();
    expect(result.summary).toMatch(/“referral” is not a real date \(“2025-02-30”\)/);
    expect(result.datesUsed[0]).toEqual({ field: "referral", date: null });
  });

  it("uses the rule's number of days", () => {
    const rule: Rule = { ...within, days: 1 };
    expect(evaluateRule(rule, { referral: "2026-12-24", assessed: "2026-12-29" }, "2027-01-31")).toMatchObject({
      answer: "met",
      dueDate: "2026-12-29",
    });
    expect(evaluateRule(rule, { referral: "2026-12-24", assessed: "2026-12-30" }, "2027-01-31").answer).toBe("not_met");
  });
});

describe("iha_timeliness", () => {
  // Looked after Mon 1 Dec 2025: the 20th working day is Wed 31 Dec 2025.
  const lookedAfter = "2025-12-01";
  const later = "2026-06-01";

  it("is met when seen and the report sent by the due date, including on it", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-24", sent: "2025-12-31" }, later);
    expect(result).toMatchObject({ answer: "met", dueDate: "2025-12-31", workingDaysElapsed: 20, overdue: false });
    expect(result.summary).toBe(
      "Seen 17 working days after becoming looked after (due by 31 December 2025); report sent on day 20, on time.",
    );
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-31", sent: "2025-12-31" }, later).answer).toBe("met");
  });

  it("is partially met when seen in time but the report was sent after the due date", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-29", sent: "2026-01-05" }, later);
    expect(result).toMatchObject({ answer: "partial", dueDate: "2025-12-31", workingDaysElapsed: 22, overdue: false });
    expect(result.summary).toBe(
      "Seen 18 working days after becoming looked after (due by 31 December 2025); report sent on day 22, after the due date.",
    );
  });

  it("is partially met when the report is one working day late", () => {
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-31", sent: "2026-01-02" }, later)).toMatchObject({
      answer: "partial",
      workingDaysElapsed: 21,
    });
  });

  it("is not met when seen one working day after the due date", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter, seen: "2026-01-02", sent: "2026-01-02" }, later);
    expect(result).toMatchObject({ answer: "not_met", dueDate: "2025-12-31", overdue: false });
    expect(result.summary).toMatch(/^Seen 21 working days after becoming looked after, after the due date/);
  });

  it("is not met and overdue (report) when seen late and the report is not sent", () => {
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2026-01-02" }, "2026-01-10")).toMatchObject({
      answer: "not_met",
      overdue: true,
    });
  });

  it("is partially met and overdue once the due date passes with no report after a timely visit", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-22" }, "2026-01-01");
    expect(result).toMatchObject({ answer: "partial", overdue: true, workingDaysElapsed: 20 });
    expect(result.summary).toMatch(/report not sent and now overdue/);
  });

  it("cannot be determined after a timely visit while the report is not yet due", () => {
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-22" }, "2025-12-31")).toMatchObject({
      answer: null,
      overdue: false,
      dueDate: "2025-12-31",
    });
  });

  it("is not met and overdue when not seen by the due date", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter }, "2026-01-02");
    expect(result).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2025-12-31", workingDaysElapsed: 21 });
    expect(result.summary).toMatch(/^Not seen and now overdue/);
  });

  it("cannot be determined when not seen yet and not yet due", () => {
    expect(evaluateRule(iha, { looked_after: lookedAfter }, "2025-12-31")).toMatchObject({
      answer: null,
      overdue: false,
      dueDate: "2025-12-31",
    });
  });

  it("cannot be determined without the date the child became looked after", () => {
    const result = evaluateRule(iha, { seen: "2025-12-10", sent: "2025-12-11" }, later);
    expect(result).toMatchObject({ answer: null, dueDate: null, workingDaysElapsed: null });
    expect(result.summary).toBe("Enter “looked_after” to work this out.");
  });

  it("cannot be determined when a report is recorded as sent but the date seen is missing", () => {
    const result = evaluateRule(iha, { looked_after: lookedAfter, sent: "2025-12-20" }, later);
    expect(result.answer).toBeNull();
    expect(result.overdue).toBe(false);
    expect(result.summary).toMatch(/^Enter “seen”/);
  });

  it("cannot be determined when the dates are out of order", () => {
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-11-30", sent: "2025-12-02" }, later).answer).toBeNull();
    expect(evaluateRule(iha, { looked_after: lookedAfter, seen: "2025-12-10", sent: "2025-12-09" }, later).answer).toBeNull();
  });

  it.each([
    ["2025-12-15", "2026-01-15", "2026-01-16"],
    ["2026-03-20", "2026-04-21", "2026-04-22"],
  ])("looked after %s is due %s across the bank holidays", (start, due, nextWorkingDay) => {
    expect(evaluateRule(iha, { looked_after: start, seen: due, sent: due }, "2026-12-01")).toMatchObject({
      answer: "met",
      dueDate: due,
    });
    expect(evaluateRule(iha, { looked_after: start, seen: nextWorkingDay, sent: nextWorkingDay }, "2026-12-01").answer).toBe(
      "not_met",
    );
  });

  it("defaults to 20 working days when the template leaves days out", () => {
    const rule = RuleSchema.parse({ type: "iha_timeliness", lookedAfter: "looked_after", seen: "seen", reportSent: "sent" });
    expect(evaluateRule(rule, { looked_after: "2026-03-20" }, "2026-03-21").dueDate).toBe("2026-04-21");
  });

  it("lists the dates used in rule order", () => {
    expect(evaluateRule(iha, { sent: "2025-12-31", looked_after: lookedAfter }, later).datesUsed).toEqual([
      { field: "looked_after", date: lookedAfter },
      { field: "seen", date: null },
      { field: "sent", date: "2025-12-31" },
    ]);
  });
});

describe("dates outside the supported working-day years", () => {
  it("cannot be determined, and does not throw, for a start date before 2000", () => {
    const result = evaluateRule(within, { referral: "1999-12-01", assessed: "1999-12-10" }, "2026-06-01");
    expect(result).toMatchObject({ answer: null, dueDate: null, overdue: false });
    expect(result.summary).toMatch(/1 December 1999 is outside the years working days can be counted for \(2000 to 2035\)/);
  });

  it("cannot be determined when the due date would fall after 2035", () => {
    const result = evaluateRule(iha, { looked_after: "2035-12-20", seen: "2035-12-21", sent: "2035-12-21" }, "2035-12-31");
    expect(result.answer).toBeNull();
    expect(result.summary).toMatch(/outside the years/);
  });

  it("cannot be determined when the audit date is after 2035 and the event has not happened", () => {
    expect(evaluateRule(within, { referral: "2035-11-01" }, "2036-02-01").answer).toBeNull();
  });
});

it("throws for an audit date that is not a real date (a programming error)", () => {
  expect(() => evaluateRule(within, { referral: "2025-12-01" }, "2025-13-01")).toThrow(TypeError);
});
