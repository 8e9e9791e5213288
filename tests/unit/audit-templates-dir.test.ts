/** Every real template and module in audit-templates/ must validate, so a bad template fails CI. */
import { describe, expect, test } from "vitest";
import { evaluateApplicability } from "~/lib/applicability";
import { formatProblems, readModuleDir, readTemplateDir, type LoadedTemplate } from "~/models/templates.server";
import { allCriteria, type CaseField, type Criterion } from "~/schemas/template";

const { templates, problems } = await readTemplateDir("audit-templates");
const { library } = await readModuleDir("audit-templates/modules");
const byKey = (key: string) => {
  const t = templates.find((x) => x.template.key === key);
  if (!t) throw new Error(`audit-templates/ has no template with key ${key}`);
  return t.template;
};

test("every file in audit-templates/ validates", () => {
  expect(formatProblems(problems)).toBe("");
  expect(templates.length).toBeGreaterThan(0);
});

test("the library has T01 to T16 of the catalogue, each key in one file", () => {
  expect(templates.map((t) => t.template.key).sort()).toEqual(
    [
      "lac-iha", "lac-rha", "care-leaver-health", "maternity", "hv-school-nursing", "ed-under-18", "paediatric-self-harm",
      "ed-adult-think-family", "adult-mental-health-think-family", "adult-substance-misuse-think-family", "yp-substance-misuse",
      "sexual-health-under-18", "gp-practice", "camhs", "mash-health-enquiry", "cp-medical",
    ].sort(),
  );
});

test("the five shared modules are written once, with the catalogue's criteria", () => {
  const modules = new Map<string, string[]>();
  for (const [id, entry] of library) modules.set(entry.module.module, [...(modules.get(entry.module.module) ?? []), id]);
  expect([...modules.keys()].sort()).toEqual(["core", "cp", "enq", "hp", "ref"]);
  expect(modules.get("hp")!.sort()).toEqual(["hp-copies-shared", "hp-needs-carried-forward", "hp-previous-reviewed", "hp-referrals-timely", "hp-smart"]);
  for (const id of ["core-voice-of-child", "core-household-recorded", "core-significant-males-risk", "core-chronology", "core-record-quality", "core-risk-plan"]) {
    expect(modules.get("core")).toContain(id);
  }
  for (const [id, { module }] of library) expect(id.startsWith(`${module.module}-`), id).toBe(true);
});

test("a criterion id means the same criterion in every template (stable ids across the library)", () => {
  const seen = new Map<string, { question: string; file: string }>();
  const clashes: string[] = [];
  for (const t of templates) {
    for (const c of allCriteria(t.template)) {
      const other = seen.get(c.id);
      if (other && other.question !== c.question) clashes.push(`${c.id}: ${other.file} and ${t.file}`);
      seen.set(c.id, { question: c.question, file: t.file });
    }
  }
  expect(clashes).toEqual([]);
});

test("module criteria reach templates unchanged, marked with their module", () => {
  for (const t of templates) {
    for (const c of allCriteria(t.template)) {
      const shared = library.get(c.id);
      if (!shared) continue;
      expect(c.module, `${t.file} ${c.id}`).toBe(shared.module.module);
      expect(c.question).toBe(shared.criterion.question);
      expect(c.guidance).toEqual(shared.criterion.guidance);
      expect(t.template.modules?.map((m) => m.module)).toContain(shared.module.module);
    }
  }
});

test("every child record template has the voice of the child, and every template at least one headline family", () => {
  for (const t of templates) {
    const families = new Set(allCriteria(t.template).map((c) => c.family).filter(Boolean));
    expect(families.size, t.file).toBeGreaterThan(0);
    if (t.template.caseTypes.some((ct) => ["CHILD", "LAC", "CL"].includes(ct)) && t.template.key !== "cp-medical" && t.template.key !== "mash-health-enquiry") {
      expect(families.has("voice-of-the-child"), t.file).toBe(true);
    }
  }
});

describe.each(templates.map((t) => [t.file, t] as const))("%s", (_file, loaded: LoadedTemplate) => {
  const criteria = allCriteria(loaded.template);

  test("criterion ids are unique", () => {
    const ids = criteria.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("every criterion cites at least one source", () => {
    expect(criteria.filter((c) => c.sources.length === 0).map((c) => c.id)).toEqual([]);
  });

  test("every source names a known report", () => {
    const reports = new Set(criteria.flatMap((c) => c.sources.map((s) => s.report)));
    expect([...reports].filter((r) => !["HAR", "ROT", "BAR", "TH", "LUT"].includes(r))).toEqual([]);
  });
});

describe("T01: LAC Initial Health Assessment", () => {
  const t01 = templates.find((t) => t.template.key === "lac-iha")!;
  const template = byKey("lac-iha");
  const byId = new Map<string, Criterion>(allCriteria(template).map((c) => [c.id, c]));
  const field = (id: string): CaseField | undefined => template.caseFields.find((f) => f.id === id);

  test("is version 2 of lac-iha, for LAC cases, with no credit for partially met", () => {
    expect(t01.file).toBe("audit-templates/t01-lac-iha.yaml");
    expect(template.version).toBe(2);
    expect(template.caseTypes).toEqual(["LAC"]);
    expect(template.partialCredit).toBe(0);
    expect(template.rag).toEqual({ green: 90, amber: 75 });
  });

  test("has T01's own criteria, M-HP without the RHA-only one, and the M-CORE and M-ENQ ones the catalogue lists", () => {
    const expected = [
      "iha-notified", "iha-timely", "iha-practitioner", "iha-care-context", "iha-birth-neonatal",
      "iha-parental-history", "iha-health-info-gathered", "iha-domains-complete", "iha-emotional-wellbeing",
      "iha-identity-culture", "iha-uasc", "iha-sw-carer-parent-involved", "iha-summary-plan-produced", "iha-qa-recorded",
      "hp-smart", "hp-needs-carried-forward", "hp-referrals-timely", "hp-copies-shared",
      "core-voice-of-child", "core-consent", "core-language-culture", "core-record-quality",
      "enq-cse-exploitation", "enq-fgm", "enq-substance-screen-yp",
    ];
    for (const id of expected) expect([...byId.keys()], id).toContain(id);
    // RHA only
    expect(byId.has("hp-previous-reviewed")).toBe(false);
    expect(byId.get("hp-smart")!.module).toBe("hp");
  });

  test("iha-timely is worked out by the IHA timeliness rule over 20 working days", () => {
    const c = byId.get("iha-timely")!;
    expect(c.rule).toEqual({ type: "iha_timeliness", lookedAfter: "date_looked_after", seen: "iha_seen", reportSent: "iha_report_sent", days: 20 });
    expect(c.answers).toEqual(["met", "partial", "not_met"]);
    expect(c.family).toBe("iha-timeliness");
  });

  test("iha-notified uses the local setting for how soon the request must reach health", () => {
    const c = byId.get("iha-notified")!;
    expect(c.rule).toEqual({ type: "within_working_days", from: "date_looked_after", to: "iha_request_received", days: { setting: "iha-request-working-days" } });
  });

  test("iha-uasc applies only to unaccompanied asylum-seeking children, worked out from the case", () => {
    const c = byId.get("iha-uasc")!;
    expect(c.applicableWhen).toEqual([{ field: "uasc", equals: "yes" }]);
    expect(evaluateApplicability(c.applicableWhen, { uasc: "no" }, template.caseFields)).toMatchObject({ applicable: false });
    expect(evaluateApplicability(c.applicableWhen, { uasc: "yes" }, template.caseFields)).toEqual({ applicable: true });
  });

  test("headline families are marked", () => {
    expect(byId.get("hp-smart")!.family).toBe("smart-plans");
    expect(byId.get("hp-smart")!.measure?.type).toBe("ratio");
    expect(byId.get("core-voice-of-child")!.family).toBe("voice-of-the-child");
  });

  test("sources carry the catalogue's recommendations", () => {
    expect(byId.get("hp-smart")!.sources).toContainEqual({ report: "HAR", paragraph: "§4.4", recommendation: "R10.4" });
    expect(byId.get("iha-timely")!.sources).toContainEqual({ report: "ROT", paragraph: "§4.1", recommendation: "R4.8" });
  });

  test("keeps version 1's case fields and adds the reason for delay", () => {
    const ids = template.caseFields.map((f) => f.id);
    for (const id of ["date_of_birth", "date_looked_after", "legal_status", "placement", "uasc", "iha_request_received", "iha_seen", "iha_report_sent", "iha_practitioner", "iha_delay_reason"]) {
      expect(ids).toContain(id);
    }
    expect(field("date_of_birth")).toMatchObject({ type: "date", required: true });
    expect(field("date_looked_after")).toMatchObject({ type: "date", required: true, label: "Date the child became looked after" });
    expect(field("iha_report_sent")).toMatchObject({ type: "date", notBefore: "iha_seen" });
    const options = (id: string) => {
      const f = field(id);
      return f?.type === "choice" ? f.options.map((o) => o.value) : [];
    };
    expect(options("iha_delay_reason")).toEqual(["late_notification", "consent_not_received", "not_brought", "capacity", "out_of_area", "left_care", "other"]);
    expect(options("iha_practitioner")).toEqual(["paediatrician", "gp_lac_trained", "other_medical", "lac_nurse", "other"]);
  });
});

describe("T02: LAC review health assessment", () => {
  const template = byKey("lac-rha");
  const byId = new Map<string, Criterion>(allCriteria(template).map((c) => [c.id, c]));

  test("rha-timely uses the 6-month / 12-month review interval rule and is in the timeliness family", () => {
    const c = byId.get("rha-timely")!;
    expect(c.rule).toMatchObject({ type: "review_interval", ageBoundary: 5, monthsUnder: 6, monthsFrom: 12 });
    expect(c.family).toBe("iha-timeliness");
  });

  test("the SDQ applies from age 4 to 16 on the assessment date, with the score banded 0-13, 14-16, 17-40", () => {
    const c = byId.get("rha-sdq")!;
    const f = { date_of_birth: "2010-06-15" };
    const at = (rha_date: string) => evaluateApplicability(c.applicableWhen, { ...f, rha_date }, template.caseFields).applicable;
    expect(at("2014-06-14")).toBe(false); // 3 years 364 days
    expect(at("2014-06-15")).toBe(true); // 4th birthday
    expect(at("2027-06-14")).toBe(true); // 16 years 364 days
    expect(at("2027-06-15")).toBe(false); // 17th birthday
    expect(c.measure).toMatchObject({ type: "number", min: 0, max: 40, bands: [{ max: 13 }, { max: 16 }, { max: 40 }] });
  });

  test("includes the RHA-only health plan criterion that T01 leaves out", () => {
    expect(byId.get("hp-previous-reviewed")?.module).toBe("hp");
  });
});

describe("date rules in the library", () => {
  const ruleOf = (key: string, id: string) => allCriteria(byKey(key)).find((c) => c.id === id)?.rule;

  test("care leaver health summary is due before the 18th birthday", () => {
    expect(ruleOf("care-leaver-health", "cl-summary-provided")).toMatchObject({ type: "before_birthday", age: 18 });
  });

  test("bruising in a non-mobile infant needs a same-day referral", () => {
    expect(ruleOf("ed-under-18", "ed-infant-injury-same-day")).toMatchObject({ type: "within_calendar_days", days: 0 });
  });

  test("maternity booking uses the local booking setting (12 weeks by default)", () => {
    expect(ruleOf("maternity", "mat-booking-gestation")).toMatchObject({ type: "gestation_window", beforeWeeks: { setting: "booking-before-weeks" } });
  });

  test("health visiting mandated contacts each have their age window", () => {
    expect(ruleOf("hv-school-nursing", "hv-hcp-new-birth")).toMatchObject({ type: "age_window", from: { days: 10 }, to: { days: 14 } });
    expect(ruleOf("hv-school-nursing", "hv-hcp-6-8-weeks")).toMatchObject({ type: "age_window", from: { days: 42 }, to: { days: 56 } });
  });

  test("referral timeliness from the shared module is a same-day rule applying only when a referral was made", () => {
    const c = allCriteria(byKey("maternity")).find((x) => x.id === "ref-timely")!;
    expect(c.rule).toMatchObject({ type: "within_calendar_days", days: 0 });
    expect(c.applicableWhen).toEqual([{ field: "referral_made", equals: "yes" }]);
  });
});
