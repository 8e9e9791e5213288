import { describe, expect, it } from "vitest";
import { describeRule, evaluateRule } from "~/lib/date-rules";
import { addDays, ageInYearsOn } from "~/lib/dates";
import { RULE_ANSWERS, ruleDateFields } from "~/schemas/rules";
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

/* ------------------------------------------------------------------------------------------
 * Every rule type of RuleSchema, published vectors and boundaries (domain.md §5 and §7).
 * ---------------------------------------------------------------------------------------- */

const later = "2030-01-01";
const wwd = (days: number | { setting: string }): Rule => ({
  type: "within_working_days",
  from: "start",
  to: "done",
  days,
});

describe("within_working_days: domain.md rule 41 test vectors", () => {
  it.each([
    // [event, N, due (the Nth working day after), the next working day after it]
    ["2025-12-01", 20, "2025-12-31", "2026-01-02"],
    ["2025-12-15", 20, "2026-01-15", "2026-01-16"],
    ["2026-03-20", 20, "2026-04-21", "2026-04-22"],
    ["2026-04-02", 10, "2026-04-20", "2026-04-21"],
    ["2026-04-02", 15, "2026-04-27", "2026-04-28"],
    ["2026-04-02", 45, "2026-06-10", "2026-06-11"],
    ["2026-12-24", 1, "2026-12-29", "2026-12-30"],
    ["2026-04-04", 1, "2026-04-07", "2026-04-08"],
    ["2026-12-18", 20, "2027-01-20", "2027-01-21"],
  ] as const)("%s + %i working days is due %s", (start, days, due, next) => {
    const rule = wwd(days);
    expect(evaluateRule(rule, { start, done: due }, later)).toMatchObject({
      answer: "met",
      dueDate: due,
      workingDaysElapsed: days,
      overdue: false,
    });
    expect(evaluateRule(rule, { start, done: next }, later)).toMatchObject({
      answer: "not_met",
      dueDate: due,
      workingDaysElapsed: days + 1,
    });
    // Not done: not yet due on the due date itself, overdue the calendar day after.
    expect(evaluateRule(rule, { start }, due)).toMatchObject({ answer: null, overdue: false, dueDate: due });
    const dayAfter = addDays(due, 1);
    expect(evaluateRule(rule, { start }, dayAfter)).toMatchObject({ answer: "not_met", overdue: true, dueDate: due });
  });
});

describe("within_working_days: weekends and bank holidays", () => {
  it("skips a weekend: Friday + 1 is the Monday, whatever day it is done", () => {
    const rule = wwd(1);
    for (const done of ["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]) {
      expect(evaluateRule(rule, { start: "2026-01-09", done }, later), done).toMatchObject({ answer: "met", dueDate: "2026-01-12" });
    }
    expect(evaluateRule(rule, { start: "2026-01-09", done: "2026-01-13" }, later).answer).toBe("not_met");
  });

  it("counts a Saturday or Sunday event as day 0", () => {
    expect(evaluateRule(wwd(1), { start: "2026-01-10" }, "2026-01-10").dueDate).toBe("2026-01-12");
    expect(evaluateRule(wwd(1), { start: "2026-01-11" }, "2026-01-11").dueDate).toBe("2026-01-12");
    expect(evaluateRule(wwd(5), { start: "2026-01-10" }, "2026-01-10").dueDate).toBe("2026-01-16");
  });

  it("does not count a weekend as working days elapsed", () => {
    expect(evaluateRule(wwd(5), { start: "2026-01-09", done: "2026-01-12" }, later).workingDaysElapsed).toBe(1);
  });

  it("skips Christmas Day 2026 and its Boxing Day substitute, Monday 28 December", () => {
    // Thu 24 Dec; Fri 25 Christmas; Sat 26, Sun 27; Mon 28 substitute; Tue 29 = day 1.
    const rule = wwd(1);
    expect(evaluateRule(rule, { start: "2026-12-24", done: "2026-12-28" }, later)).toMatchObject({
      answer: "met",
      dueDate: "2026-12-29",
      workingDaysElapsed: 0,
    });
    expect(evaluateRule(rule, { start: "2026-12-24", done: "2026-12-29" }, later).workingDaysElapsed).toBe(1);
    expect(evaluateRule(wwd(2), { start: "2026-12-23" }, "2026-12-23").dueDate).toBe("2026-12-29");
    // 28 December is not a working day even though it is not a "real" Boxing Day.
    expect(evaluateRule(wwd(1), { start: "2026-12-25" }, "2026-12-25").dueDate).toBe("2026-12-29");
  });

  it("skips Good Friday and Easter Monday 2026 (3 and 6 April)", () => {
    expect(evaluateRule(wwd(1), { start: "2026-04-02" }, "2026-04-02").dueDate).toBe("2026-04-07");
    expect(evaluateRule(wwd(1), { start: "2026-04-02", done: "2026-04-07" }, later).answer).toBe("met");
    expect(evaluateRule(wwd(1), { start: "2026-04-02", done: "2026-04-08" }, later).answer).toBe("not_met");
    expect(evaluateRule(wwd(2), { start: "2026-04-01" }, "2026-04-01").dueDate).toBe("2026-04-07");
  });

  it("skips the substitute days 27 and 28 December 2027 and 3 January 2028", () => {
    // Christmas 2027 is a Saturday: Mon 27 and Tue 28 are substitutes.
    expect(evaluateRule(wwd(1), { start: "2027-12-24" }, "2027-12-24").dueDate).toBe("2027-12-29");
    expect(evaluateRule(wwd(3), { start: "2027-12-24" }, "2027-12-24").dueDate).toBe("2027-12-31");
    // New Year's Day 2028 is a Saturday: Monday 3 January is the substitute.
    expect(evaluateRule(wwd(1), { start: "2027-12-31" }, "2027-12-31").dueDate).toBe("2028-01-04");
    expect(evaluateRule(wwd(4), { start: "2027-12-24" }, "2027-12-24").dueDate).toBe("2028-01-04");
    expect(evaluateRule(wwd(1), { start: "2027-12-31", done: "2028-01-04" }, later).answer).toBe("met");
    expect(evaluateRule(wwd(1), { start: "2027-12-31", done: "2028-01-05" }, later).answer).toBe("not_met");
  });

  it("is met with 0 working days only when done on the event date", () => {
    expect(evaluateRule(wwd(0), { start: "2026-01-09", done: "2026-01-09" }, later)).toMatchObject({ answer: "met", dueDate: "2026-01-09" });
    // The Saturday after a Friday event is still a calendar day late.
    expect(evaluateRule(wwd(0), { start: "2026-01-09", done: "2026-01-10" }, later).answer).toBe("not_met");
  });
});

describe("local settings", () => {
  const rule = wwd({ setting: "ed-notification-working-days" });

  it("uses the setting's default when the audit has no value for it, and reports it", () => {
    // Mon 5 Jan 2026 + 5 working days (the default) = Mon 12 Jan.
    const result = evaluateRule(rule, { start: "2026-01-05", done: "2026-01-12" }, later);
    expect(result).toMatchObject({ answer: "met", dueDate: "2026-01-12" });
    expect(result.settingsUsed).toEqual([{ id: "ed-notification-working-days", value: 5 }]);
    expect(evaluateRule(rule, { start: "2026-01-05", done: "2026-01-13" }, later).answer).toBe("not_met");
  });

  it("uses the audit's value when given, and reports that value", () => {
    const settings = { "ed-notification-working-days": 10 };
    const result = evaluateRule(rule, { start: "2026-01-05", done: "2026-01-13" }, later, {}, settings);
    expect(result).toMatchObject({ answer: "met", dueDate: "2026-01-19" });
    expect(result.settingsUsed).toEqual([{ id: "ed-notification-working-days", value: 10 }]);
    expect(evaluateRule(rule, { start: "2026-01-05", done: "2026-01-20" }, later, {}, settings).answer).toBe("not_met");
  });

  it("ignores other settings", () => {
    const result = evaluateRule(rule, { start: "2026-01-05" }, "2026-01-05", {}, { "gp-information-working-days": 30 });
    expect(result.dueDate).toBe("2026-01-12");
    expect(result.settingsUsed).toEqual([{ id: "ed-notification-working-days", value: 5 }]);
  });

  it("reports no settings for a rule with plain numbers", () => {
    expect(evaluateRule(wwd(5), { start: "2026-01-05" }, later, {}, { "ed-notification-working-days": 10 }).settingsUsed).toEqual([]);
  });

  it("reports the settings even when the answer cannot be determined", () => {
    const result = evaluateRule(rule, {}, later, {}, { "ed-notification-working-days": 7 });
    expect(result.answer).toBeNull();
    expect(result.settingsUsed).toEqual([{ id: "ed-notification-working-days", value: 7 }]);
  });

  it("reports every setting a rule refers to, once each, in rule order", () => {
    const review: Rule = {
      type: "review_interval",
      dateOfBirth: "dob",
      previous: "prev",
      current: "cur",
      ageBoundary: 5,
      monthsUnder: { setting: "sdq-months-before-assessment" },
      monthsFrom: { setting: "care-leaver-followup-months" },
    };
    const result = evaluateRule(review, { dob: "2015-01-01", prev: "2025-01-01" }, "2025-01-02", {}, { "care-leaver-followup-months": 3 });
    expect(result.settingsUsed).toEqual([
      { id: "sdq-months-before-assessment", value: 12 },
      { id: "care-leaver-followup-months", value: 3 },
    ]);
    expect(result.dueDate).toBe("2025-04-01");
  });

  it.each([-1, 2.5, Number.NaN])("cannot be determined, and does not throw, for an unusable setting value (%s)", (value) => {
    const result = evaluateRule(rule, { start: "2026-01-05", done: "2026-01-06" }, later, {}, { "ed-notification-working-days": value });
    expect(result).toMatchObject({ answer: null, dueDate: null, overdue: false });
    expect(result.summary).toMatch(/local setting “ed-notification-working-days”/);
  });

  it("cannot be determined for a setting that does not exist", () => {
    const result = evaluateRule(wwd({ setting: "no-such-setting" }), { start: "2026-01-05", done: "2026-01-06" }, later);
    expect(result.answer).toBeNull();
    expect(result.summary).toMatch(/“no-such-setting” is not a known setting/);
  });
});

describe("within_calendar_days", () => {
  const sameDay: Rule = { type: "within_calendar_days", from: "concern", to: "referral", days: 0 };
  const days28: Rule = { type: "within_calendar_days", from: "concern", to: "referral", days: 28 };

  it("with 0 days is met on the same day and not met the next day", () => {
    expect(evaluateRule(sameDay, { concern: "2026-03-05", referral: "2026-03-05" }, later)).toMatchObject({
      answer: "met",
      dueDate: "2026-03-05",
      workingDaysElapsed: 0,
    });
    const next = evaluateRule(sameDay, { concern: "2026-03-05", referral: "2026-03-06" }, later);
    expect(next).toMatchObject({ answer: "not_met", dueDate: "2026-03-05", workingDaysElapsed: 1, overdue: false });
    expect(next.summary).toBe("Done on 6 March 2026, 1 calendar day after 5 March 2026 (due the same day, 5 March 2026): late.");
  });

  it("with 0 days is not yet due on the day and overdue the day after", () => {
    expect(evaluateRule(sameDay, { concern: "2026-03-05" }, "2026-03-05")).toMatchObject({ answer: null, overdue: false });
    expect(evaluateRule(sameDay, { concern: "2026-03-05" }, "2026-03-06")).toMatchObject({ answer: "not_met", overdue: true });
  });

  it("counts calendar days, not working days, and still reports working days elapsed", () => {
    // Mon 5 Jan 2026 + 28 calendar days = Mon 2 Feb (20 working days later).
    const onDue = evaluateRule(days28, { concern: "2026-01-05", referral: "2026-02-02" }, later);
    expect(onDue).toMatchObject({ answer: "met", dueDate: "2026-02-02", workingDaysElapsed: 20 });
    expect(onDue.summary).toBe("Done on 2 February 2026, 28 calendar days after 5 January 2026 (due by 2 February 2026, 28 calendar days after 5 January 2026): on time.");
    expect(evaluateRule(days28, { concern: "2026-01-05", referral: "2026-02-03" }, later).answer).toBe("not_met");
    // Across Christmas the due date does not move: bank holidays do not count here.
    expect(evaluateRule(days28, { concern: "2025-12-20" }, "2025-12-20").dueDate).toBe("2026-01-17");
  });

  it("is overdue once the calendar due date has passed", () => {
    expect(evaluateRule(days28, { concern: "2026-01-05" }, "2026-02-03")).toMatchObject({
      answer: "not_met",
      overdue: true,
      dueDate: "2026-02-02",
      workingDaysElapsed: 21,
    });
    expect(evaluateRule(days28, { concern: "2026-01-05" }, "2026-02-02").answer).toBeNull();
  });

  it("uses a calendar-day setting", () => {
    const rule: Rule = { type: "within_calendar_days", from: "referral", to: "assessed", days: { setting: "camhs-assessment-days" } };
    expect(evaluateRule(rule, { referral: "2026-01-05" }, "2026-01-05")).toMatchObject({ dueDate: "2026-02-02" });
    expect(evaluateRule(rule, { referral: "2026-01-05" }, "2026-01-05", {}, { "camhs-assessment-days": 14 }).dueDate).toBe("2026-01-19");
  });

  it("answers for dates outside the working-day years, without working days elapsed", () => {
    expect(evaluateRule(days28, { concern: "1999-12-01", referral: "1999-12-20" }, later)).toMatchObject({
      answer: "met",
      workingDaysElapsed: null,
    });
  });

  it("cannot be determined without the start date, with a date that is not real, or when out of order", () => {
    expect(evaluateRule(days28, { referral: "2026-01-05" }, later, { concern: "Date of concern" }).summary).toBe(
      "Enter “Date of concern” to work this out.",
    );
    expect(evaluateRule(days28, { concern: "2026-02-30", referral: "2026-03-01" }, later).answer).toBeNull();
    const reversed = evaluateRule(days28, { concern: "2026-01-05", referral: "2026-01-04" }, later);
    expect(reversed).toMatchObject({ answer: null, dueDate: null });
    expect(reversed.summary).toMatch(/is before/);
  });
});

describe("within_months", () => {
  const rule: Rule = { type: "within_months", from: "sdq", to: "rha", months: 6 };

  it("clamps to the end of a shorter month: 31 Aug 2025 + 6 months = 28 Feb 2026", () => {
    expect(evaluateRule(rule, { sdq: "2025-08-31", rha: "2026-02-28" }, later)).toMatchObject({ answer: "met", dueDate: "2026-02-28" });
    expect(evaluateRule(rule, { sdq: "2025-08-31", rha: "2026-03-01" }, later)).toMatchObject({ answer: "not_met", dueDate: "2026-02-28" });
  });

  it("uses 29 February in a leap year", () => {
    expect(evaluateRule(rule, { sdq: "2023-08-31", rha: "2024-02-29" }, later)).toMatchObject({ answer: "met", dueDate: "2024-02-29" });
    expect(evaluateRule(rule, { sdq: "2023-08-31", rha: "2024-03-01" }, later).answer).toBe("not_met");
  });

  it("says the due date in plain English", () => {
    expect(evaluateRule(rule, { sdq: "2025-03-15", rha: "2025-09-15" }, later).summary).toBe(
      "Done on 15 September 2025 (due by 15 September 2025, 6 months after 15 March 2025): on time.",
    );
  });

  it("is overdue when not done after the due date and undetermined before it", () => {
    expect(evaluateRule(rule, { sdq: "2025-03-15" }, "2025-09-16")).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2025-09-15" });
    expect(evaluateRule(rule, { sdq: "2025-03-15" }, "2025-09-15")).toMatchObject({ answer: null, overdue: false });
  });

  it("uses a months setting (default 12)", () => {
    const sdq: Rule = { type: "within_months", from: "sdq", to: "rha", months: { setting: "sdq-months-before-assessment" } };
    expect(evaluateRule(sdq, { sdq: "2025-03-15", rha: "2026-03-15" }, later)).toMatchObject({ answer: "met", dueDate: "2026-03-15" });
    expect(evaluateRule(sdq, { sdq: "2025-03-15", rha: "2026-03-15" }, later, {}, { "sdq-months-before-assessment": 6 }).answer).toBe("not_met");
  });

  it("cannot be determined when the end is before the start", () => {
    expect(evaluateRule(rule, { sdq: "2025-03-15", rha: "2025-03-14" }, later).answer).toBeNull();
  });
});

describe("review_interval (domain.md rule 5)", () => {
  const rule = RuleSchema.parse({ type: "review_interval", dateOfBirth: "dob", previous: "prev", current: "rha" });
  const labels = { dob: "Date of birth", prev: "Date of previous health assessment", rha: "Date of this review health assessment" };

  it("is due 6 months after the previous assessment when the child was 4 years 364 days then", () => {
    // 5th birthday is 4 March 2025.
    const fields = { dob: "2020-03-04", prev: "2025-03-03" };
    const met = evaluateRule(rule, { ...fields, rha: "2025-09-03" }, later, labels);
    expect(met).toMatchObject({ answer: "met", dueDate: "2025-09-03" });
    expect(met.summary).toBe(
      "Done on 3 September 2025, on time: the child was under 5 (aged 4) on 3 March 2025, so due within 6 months, by 3 September 2025.",
    );
    expect(evaluateRule(rule, { ...fields, rha: "2025-09-04" }, later, labels)).toMatchObject({ answer: "not_met", dueDate: "2025-09-03" });
  });

  it("is due 12 months after the previous assessment done on the 5th birthday", () => {
    const fields = { dob: "2020-03-04", prev: "2025-03-04" };
    const met = evaluateRule(rule, { ...fields, rha: "2025-09-05" }, later, labels);
    expect(met).toMatchObject({ answer: "met", dueDate: "2026-03-04" });
    expect(met.summary).toMatch(/the child was 5 or over \(aged 5\) on 4 March 2025, so due within 12 months, by 4 March 2026/);
    expect(evaluateRule(rule, { ...fields, rha: "2026-03-04" }, later).answer).toBe("met");
    expect(evaluateRule(rule, { ...fields, rha: "2026-03-05" }, later).answer).toBe("not_met");
  });

  it("clamps 31 August + 6 months to 28 February, or 29 February in a leap year", () => {
    expect(evaluateRule(rule, { dob: "2022-01-01", prev: "2025-08-31", rha: "2026-02-28" }, later)).toMatchObject({ answer: "met", dueDate: "2026-02-28" });
    expect(evaluateRule(rule, { dob: "2022-01-01", prev: "2025-08-31", rha: "2026-03-01" }, later).answer).toBe("not_met");
    expect(evaluateRule(rule, { dob: "2020-01-01", prev: "2023-08-31", rha: "2024-02-29" }, later)).toMatchObject({ answer: "met", dueDate: "2024-02-29" });
    expect(evaluateRule(rule, { dob: "2020-01-01", prev: "2023-08-31", rha: "2024-03-01" }, later).answer).toBe("not_met");
  });

  it("is not met and overdue when not done after the due date", () => {
    const result = evaluateRule(rule, { dob: "2022-01-01", prev: "2025-08-31" }, "2026-03-01", labels);
    expect(result).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2026-02-28" });
    expect(result.summary).toBe(
      "Not done and now overdue: the child was under 5 (aged 3) on 31 August 2025, so due within 6 months, by 28 February 2026; no “Date of this review health assessment” date entered.",
    );
  });

  it("cannot be determined when not done and not yet due (including on the due date)", () => {
    const result = evaluateRule(rule, { dob: "2022-01-01", prev: "2025-08-31" }, "2026-02-28");
    expect(result).toMatchObject({ answer: null, overdue: false, dueDate: "2026-02-28" });
    expect(result.summary).toMatch(/^Not done yet and not yet due/);
  });

  it("uses the rule's age boundary and intervals", () => {
    const custom: Rule = { type: "review_interval", dateOfBirth: "dob", previous: "prev", current: "rha", ageBoundary: 10, monthsUnder: 3, monthsFrom: 9 };
    expect(evaluateRule(custom, { dob: "2015-06-01", prev: "2025-05-31" }, "2025-06-01").dueDate).toBe("2025-08-31");
    expect(evaluateRule(custom, { dob: "2015-06-01", prev: "2025-06-01" }, "2025-06-01").dueDate).toBe("2026-03-01");
  });

  it("cannot be determined without the date of birth or the previous assessment", () => {
    expect(evaluateRule(rule, { prev: "2025-03-03", rha: "2025-04-01" }, later, labels)).toMatchObject({ answer: null, dueDate: null });
    expect(evaluateRule(rule, { prev: "2025-03-03", rha: "2025-04-01" }, later, labels).summary).toBe("Enter “Date of birth” to work this out.");
    expect(evaluateRule(rule, { dob: "2020-03-04", rha: "2025-04-01" }, later, labels).summary).toBe(
      "Enter “Date of previous health assessment” to work this out.",
    );
  });

  it("cannot be determined when this assessment is before the previous one", () => {
    const result = evaluateRule(rule, { dob: "2020-03-04", prev: "2025-03-03", rha: "2025-03-02" }, later, labels);
    expect(result).toMatchObject({ answer: null, dueDate: null, overdue: false });
    expect(result.summary).toMatch(/“Date of this review health assessment” \(2 March 2025\) is before “Date of previous health assessment”/);
  });

  it("cannot be determined when the date of birth is after the previous assessment", () => {
    const result = evaluateRule(rule, { dob: "2025-04-01", prev: "2025-03-03", rha: "2025-04-02" }, later, labels);
    expect(result.answer).toBeNull();
    expect(result.summary).toMatch(/“Date of previous health assessment” \(3 March 2025\) is before “Date of birth”/);
  });

  it("lists the dates used in rule order", () => {
    expect(evaluateRule(rule, { rha: "2025-09-03", dob: "2020-03-04" }, later).datesUsed).toEqual([
      { field: "dob", date: "2020-03-04" },
      { field: "prev", date: null },
      { field: "rha", date: "2025-09-03" },
    ]);
  });
});

describe("before_birthday (domain.md rule 13)", () => {
  const rule: Rule = { type: "before_birthday", dateOfBirth: "dob", event: "summary", age: 18 };

  it("is met the day before the 18th birthday and not met on it", () => {
    const met = evaluateRule(rule, { dob: "2008-05-10", summary: "2026-05-09" }, later);
    expect(met).toMatchObject({ answer: "met", dueDate: "2026-05-09" });
    expect(met.summary).toBe("Done on 9 May 2026, before the 18th birthday on 10 May 2026: on time.");
    const onBirthday = evaluateRule(rule, { dob: "2008-05-10", summary: "2026-05-10" }, later);
    expect(onBirthday).toMatchObject({ answer: "not_met", dueDate: "2026-05-09", overdue: false });
    expect(onBirthday.summary).toBe("Done on 10 May 2026, not before the 18th birthday on 10 May 2026: late.");
  });

  it("is not applicable yet the day before the birthday and overdue on it when not done", () => {
    const notYet = evaluateRule(rule, { dob: "2008-05-10" }, "2026-05-09");
    expect(notYet).toMatchObject({ answer: "na", overdue: false, dueDate: "2026-05-09" });
    expect(notYet.summary).toMatch(/^Not applicable yet: not due at the time of the audit/);
    const overdue = evaluateRule(rule, { dob: "2008-05-10" }, "2026-05-10");
    expect(overdue).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2026-05-09" });
    expect(overdue.summary).toMatch(/^Not done and now overdue \(due by 9 May 2026, before the 18th birthday on 10 May 2026\)/);
  });

  it("puts a 29 February birthday on 28 February in a non-leap year, as ageInYearsOn does", () => {
    // 2026 is not a leap year: the 18th birthday is 28 February 2026.
    expect(ageInYearsOn("2008-02-29", "2026-02-27")).toBe(17);
    expect(ageInYearsOn("2008-02-29", "2026-02-28")).toBe(18);
    expect(evaluateRule(rule, { dob: "2008-02-29", summary: "2026-02-27" }, later)).toMatchObject({ answer: "met", dueDate: "2026-02-27" });
    expect(evaluateRule(rule, { dob: "2008-02-29", summary: "2026-02-28" }, later).answer).toBe("not_met");
    // 2024 is a leap year: the 16th birthday is 29 February 2024.
    const sixteen: Rule = { ...rule, age: 16 };
    expect(evaluateRule(sixteen, { dob: "2008-02-29", summary: "2024-02-28" }, later)).toMatchObject({ answer: "met", dueDate: "2024-02-28" });
    expect(evaluateRule(sixteen, { dob: "2008-02-29", summary: "2024-02-29" }, later).answer).toBe("not_met");
  });

  it("answers for dates long before the working-day years", () => {
    expect(evaluateRule(rule, { dob: "1970-01-01", summary: "1987-12-31" }, later).answer).toBe("met");
  });

  it("cannot be determined without the date of birth, or with an event before it", () => {
    expect(evaluateRule(rule, { summary: "2026-05-09" }, later).summary).toBe("Enter “dob” to work this out.");
    expect(evaluateRule(rule, { dob: "2008-05-10", summary: "2008-05-09" }, later)).toMatchObject({ answer: null, dueDate: null });
  });
});

describe("gestation_window", () => {
  // EDD Wed 30 Sep 2026 = 40+0, so 0+0 is 24 Dec 2025, 11+6 is 17 Mar 2026 and 12+0 is 18 Mar 2026.
  const booking: Rule = { type: "gestation_window", dueDate: "edd", event: "booked", beforeWeeks: 12 };
  const edd = "2026-09-30";

  it("is met for booking at 11+6 weeks and not met at 12+0 weeks", () => {
    const met = evaluateRule(booking, { edd, booked: "2026-03-17" }, later);
    expect(met).toMatchObject({ answer: "met", dueDate: "2026-03-17", workingDaysElapsed: null });
    expect(met.summary).toBe("Done on 17 March 2026 at 11+6 weeks of pregnancy (due before 12+0 weeks, by 17 March 2026): on time.");
    const late = evaluateRule(booking, { edd, booked: "2026-03-18" }, later);
    expect(late).toMatchObject({ answer: "not_met", dueDate: "2026-03-17" });
    expect(late.summary).toMatch(/at 12\+0 weeks of pregnancy/);
  });

  it("states the gestation in weeks and days", () => {
    expect(evaluateRule(booking, { edd, booked: "2026-03-14" }, later).summary).toMatch(/at 11\+3 weeks of pregnancy/);
    expect(evaluateRule(booking, { edd, booked: "2025-12-24" }, later).summary).toMatch(/at 0\+0 weeks of pregnancy/);
  });

  it("is overdue once the window has closed without the event, and undetermined before", () => {
    expect(evaluateRule(booking, { edd }, "2026-03-17")).toMatchObject({ answer: null, overdue: false, dueDate: "2026-03-17" });
    expect(evaluateRule(booking, { edd }, "2026-03-18")).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2026-03-17" });
  });

  it("uses the booking setting (default 12 weeks, or the audit's value)", () => {
    const rule: Rule = { ...booking, beforeWeeks: { setting: "booking-before-weeks" } };
    expect(evaluateRule(rule, { edd, booked: "2026-03-17" }, later)).toMatchObject({ answer: "met", settingsUsed: [{ id: "booking-before-weeks", value: 12 }] });
    // 10+0 is 4 March 2026.
    const ten = { "booking-before-weeks": 10 };
    expect(evaluateRule(rule, { edd, booked: "2026-03-03" }, later, {}, ten)).toMatchObject({ answer: "met", dueDate: "2026-03-03" });
    expect(evaluateRule(rule, { edd, booked: "2026-03-04" }, later, {}, ten)).toMatchObject({
      answer: "not_met",
      settingsUsed: [{ id: "booking-before-weeks", value: 10 }],
    });
  });

  it("with fromWeeks is not met before 28+0 weeks and met from it", () => {
    const hv: Rule = { type: "gestation_window", dueDate: "edd", event: "contact", fromWeeks: 28, beforeWeeks: 42 };
    // 28+0 is 8 July 2026; 42+0 is 14 October 2026.
    const early = evaluateRule(hv, { edd, contact: "2026-07-07" }, later);
    expect(early).toMatchObject({ answer: "not_met" });
    expect(early.summary).toBe(
      "Done on 7 July 2026 at 27+6 weeks of pregnancy (due from 28+0 weeks, 8 July 2026, and before 42+0 weeks, by 13 October 2026): too early.",
    );
    expect(evaluateRule(hv, { edd, contact: "2026-07-08" }, later).answer).toBe("met");
    expect(evaluateRule(hv, { edd, contact: "2026-10-13" }, later)).toMatchObject({ answer: "met", dueDate: "2026-10-13" });
    expect(evaluateRule(hv, { edd, contact: "2026-10-14" }, later).answer).toBe("not_met");
  });

  it("with only fromWeeks is never overdue and has no due date", () => {
    const from: Rule = { type: "gestation_window", dueDate: "edd", event: "contact", fromWeeks: 28 };
    expect(evaluateRule(from, { edd }, later)).toMatchObject({ answer: null, overdue: false, dueDate: null });
    expect(evaluateRule(from, { edd, contact: "2026-10-20" }, later).answer).toBe("met");
  });

  it("computes an event long after the due date like any other", () => {
    expect(evaluateRule(booking, { edd, booked: "2026-10-20" }, later)).toMatchObject({ answer: "not_met" });
    expect(evaluateRule(booking, { edd, booked: "2026-10-20" }, later).summary).toMatch(/at 42\+6 weeks/);
  });

  it("cannot be determined without the EDD, or with an event before the pregnancy began", () => {
    expect(evaluateRule(booking, { booked: "2026-03-17" }, later)).toMatchObject({ answer: null, dueDate: null });
    const before = evaluateRule(booking, { edd, booked: "2025-12-23" }, later);
    expect(before).toMatchObject({ answer: null, dueDate: null });
    expect(before.summary).toMatch(/before the pregnancy began/);
  });
});

describe("age_window", () => {
  const newBirth: Rule = { type: "age_window", dateOfBirth: "dob", event: "visit", from: { days: 10 }, to: { days: 14 } };
  const dob = "2026-03-01";

  it("is met on day 10 and day 14, not on day 9 (too early) or day 15 (late)", () => {
    expect(evaluateRule(newBirth, { dob, visit: "2026-03-11" }, later)).toMatchObject({ answer: "met", dueDate: "2026-03-15" });
    expect(evaluateRule(newBirth, { dob, visit: "2026-03-15" }, later)).toMatchObject({ answer: "met", dueDate: "2026-03-15" });
    const early = evaluateRule(newBirth, { dob, visit: "2026-03-10" }, later);
    expect(early).toMatchObject({ answer: "not_met", overdue: false });
    expect(early.summary).toBe("Done on 10 March 2026 (due between 10 days and 14 days old, 11 March 2026 to 15 March 2026): too early.");
    const late = evaluateRule(newBirth, { dob, visit: "2026-03-16" }, later);
    expect(late).toMatchObject({ answer: "not_met", overdue: false });
    expect(late.summary).toMatch(/: late\.$/);
  });

  it("is not applicable (not yet due) until the window closes, then overdue", () => {
    expect(evaluateRule(newBirth, { dob }, "2026-03-05")).toMatchObject({ answer: "na", overdue: false, dueDate: "2026-03-15" });
    expect(evaluateRule(newBirth, { dob }, "2026-03-15")).toMatchObject({ answer: "na", overdue: false });
    expect(evaluateRule(newBirth, { dob }, "2026-03-16")).toMatchObject({ answer: "not_met", overdue: true, dueDate: "2026-03-15" });
  });

  it("counts weeks as 7 days", () => {
    const review: Rule = { type: "age_window", dateOfBirth: "dob", event: "visit", from: { weeks: 6 }, to: { weeks: 8 } };
    expect(evaluateRule(review, { dob, visit: "2026-04-11" }, later).answer).toBe("not_met");
    expect(evaluateRule(review, { dob, visit: "2026-04-12" }, later).answer).toBe("met");
    expect(evaluateRule(review, { dob, visit: "2026-04-26" }, later)).toMatchObject({ answer: "met", dueDate: "2026-04-26" });
    expect(evaluateRule(review, { dob, visit: "2026-04-27" }, later).answer).toBe("not_met");
  });

  it("clamps month windows to the end of a shorter month", () => {
    const oneYear: Rule = { type: "age_window", dateOfBirth: "dob", event: "visit", from: { months: 9 }, to: { months: 12 } };
    // Born 31 May 2025: 9 months is 28 Feb 2026 (no 31 Feb), 12 months is 31 May 2026.
    expect(evaluateRule(oneYear, { dob: "2025-05-31", visit: "2026-02-27" }, later).answer).toBe("not_met");
    expect(evaluateRule(oneYear, { dob: "2025-05-31", visit: "2026-02-28" }, later).answer).toBe("met");
    expect(evaluateRule(oneYear, { dob: "2025-05-31", visit: "2026-05-31" }, later)).toMatchObject({ answer: "met", dueDate: "2026-05-31" });
    expect(evaluateRule(oneYear, { dob: "2025-05-31", visit: "2026-06-01" }, later).answer).toBe("not_met");
    const twoYear: Rule = { type: "age_window", dateOfBirth: "dob", event: "visit", from: { months: 24 }, to: { months: 30 } };
    // Born 31 Aug 2023: 30 months is 28 Feb 2026; born 31 Aug 2021: 30 months is 29 Feb 2024.
    expect(evaluateRule(twoYear, { dob: "2023-08-31", visit: "2026-02-28" }, later)).toMatchObject({ answer: "met", dueDate: "2026-02-28" });
    expect(evaluateRule(twoYear, { dob: "2023-08-31", visit: "2026-03-01" }, later).answer).toBe("not_met");
    expect(evaluateRule(twoYear, { dob: "2021-08-31" }, "2024-02-29")).toMatchObject({ answer: "na", dueDate: "2024-02-29" });
    expect(evaluateRule(twoYear, { dob: "2021-08-31" }, "2024-03-01")).toMatchObject({ answer: "not_met", overdue: true });
  });

  it("cannot be determined without the date of birth, or with the event before it", () => {
    expect(evaluateRule(newBirth, { visit: "2026-03-12" }, later)).toMatchObject({ answer: null, dueDate: null });
    expect(evaluateRule(newBirth, { dob, visit: "2026-02-28" }, later)).toMatchObject({ answer: null, dueDate: null });
  });
});

describe("every rule type", () => {
  const rules: Rule[] = [
    { type: "within_working_days", from: "a", to: "b", days: 5 },
    { type: "within_calendar_days", from: "a", to: "b", days: 5 },
    { type: "within_months", from: "a", to: "b", months: 5 },
    { type: "iha_timeliness", lookedAfter: "a", seen: "b", reportSent: "c", days: 20 },
    RuleSchema.parse({ type: "review_interval", dateOfBirth: "a", previous: "b", current: "c" }),
    { type: "before_birthday", dateOfBirth: "a", event: "b", age: 18 },
    { type: "gestation_window", dueDate: "a", event: "b", beforeWeeks: 12 },
    { type: "age_window", dateOfBirth: "a", event: "b", from: { days: 10 }, to: { days: 14 } },
  ];

  it("covers all eight types of RuleSchema", () => {
    expect(new Set(rules.map((r) => r.type)).size).toBe(Object.keys(RULE_ANSWERS).length);
  });

  it.each(rules.map((r) => [r.type, r] as const))("%s is never met with no dates, and lists its dates", (_type, rule) => {
    const result = evaluateRule(rule, {}, later);
    expect(result.answer).toBeNull();
    expect(result.overdue).toBe(false);
    expect(result.datesUsed.map((d) => d.field)).toEqual(Object.values(ruleDateFields(rule)));
  });

  it.each(rules.map((r) => [r.type, r] as const))("%s names an invalid date by its label", (_type, rule) => {
    const result = evaluateRule(rule, { a: "2026-01-01", b: "2026-13-01", c: "2026-01-02" }, later, { b: "Second date" });
    expect(result.answer).toBeNull();
    expect(result.summary).toBe("“Second date” is not a real date (“2026-13-01”): correct it to work this out.");
  });
});

describe("describeRule", () => {
  const labels = { la: "Date the child became looked after", dob: "Date of birth", prev: "Date of previous health assessment", edd: "Estimated date of delivery" };

  it("describes each rule in one sentence", () => {
    expect(describeRule({ type: "within_working_days", from: "la", to: "x", days: 20 }, labels)).toBe(
      "Due within 20 working days of “Date the child became looked after”.",
    );
    expect(describeRule({ type: "within_calendar_days", from: "la", to: "x", days: 0 }, labels)).toBe(
      "Due on the same day as “Date the child became looked after”.",
    );
    expect(describeRule({ type: "within_calendar_days", from: "la", to: "x", days: 1 }, labels)).toBe(
      "Due within 1 calendar day of “Date the child became looked after”.",
    );
    expect(describeRule({ type: "within_months", from: "prev", to: "x", months: 12 }, labels)).toBe(
      "Due within 12 months of “Date of previous health assessment”.",
    );
    expect(describeRule({ type: "iha_timeliness", lookedAfter: "la", seen: "s", reportSent: "r", days: 20 }, labels)).toBe(
      "Met when the child is seen and the report sent within 20 working days of “Date the child became looked after”; partially met when seen in time but the report is late.",
    );
    expect(describeRule(RuleSchema.parse({ type: "review_interval", dateOfBirth: "dob", previous: "prev", current: "c" }), labels)).toBe(
      "Due within 6 months of “Date of previous health assessment” if the child was under 5 on that date, otherwise within 12 months.",
    );
    expect(describeRule({ type: "before_birthday", dateOfBirth: "dob", event: "e", age: 18 }, labels)).toBe(
      "Due before the 18th birthday, from “Date of birth”.",
    );
    expect(describeRule({ type: "gestation_window", dueDate: "edd", event: "e", fromWeeks: 28, beforeWeeks: 42 }, labels)).toBe(
      "Due from 28+0 weeks and before 42+0 weeks of pregnancy, counted from “Estimated date of delivery”.",
    );
    expect(describeRule({ type: "age_window", dateOfBirth: "dob", event: "e", from: { days: 10 }, to: { days: 14 } }, labels)).toBe(
      "Due between 10 days and 14 days old, from “Date of birth”.",
    );
    expect(describeRule({ type: "age_window", dateOfBirth: "dob", event: "e", from: { weeks: 0 }, to: { weeks: 1 } }, labels)).toBe(
      "Due by 1 week old, from “Date of birth”.",
    );
  });

  it("uses a setting's value (the audit's, else the default) and says it is local", () => {
    const rule: Rule = { type: "within_working_days", from: "la", to: "x", days: { setting: "ed-notification-working-days" } };
    expect(describeRule(rule, labels)).toBe("Due within 5 working days (a local setting) of “Date the child became looked after”.");
    expect(describeRule(rule, labels, { "ed-notification-working-days": 3 })).toBe(
      "Due within 3 working days (a local setting) of “Date the child became looked after”.",
    );
    expect(describeRule({ type: "gestation_window", dueDate: "edd", event: "e", beforeWeeks: { setting: "booking-before-weeks" } }, labels)).toBe(
      "Due before 12+0 weeks (a local setting) of pregnancy, counted from “Estimated date of delivery”.",
    );
  });

  it("quotes the field id without labels", () => {
    expect(describeRule({ type: "within_working_days", from: "la", to: "x", days: 1 })).toBe("Due within 1 working day of “la”.");
  });
});
