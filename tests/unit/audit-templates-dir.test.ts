/** Every real template in audit-templates/ must validate, so a bad template fails CI. */
import { describe, expect, test } from "vitest";
import { formatProblems, readTemplateDir, type LoadedTemplate } from "~/models/templates.server";
import { allCriteria, type CaseField, type Criterion } from "~/schemas/template";

const { templates, problems } = await readTemplateDir("audit-templates");

test("every file in audit-templates/ validates", () => {
  expect(formatProblems(problems)).toBe("");
  expect(templates.length).toBeGreaterThan(0);
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
  const t01 = templates.find((t) => t.template.key === "lac-iha");
  if (!t01) throw new Error("audit-templates/ has no template with key lac-iha");
  const { template } = t01;
  const byId = new Map<string, Criterion>(allCriteria(template).map((c) => [c.id, c]));
  const field = (id: string): CaseField | undefined => template.caseFields.find((f) => f.id === id);

  test("is version 1 of lac-iha, for LAC cases, with no credit for partially met", () => {
    expect(t01.file).toBe("audit-templates/t01-lac-iha.yaml");
    expect(template.version).toBe(1);
    expect(template.caseTypes).toEqual(["LAC"]);
    expect(template.partialCredit).toBe(0);
    expect(template.rag).toEqual({ green: 90, amber: 75 });
  });

  test("has T01's own criteria, the M-HP plan criteria and the M-CORE ones it lists", () => {
    const expected = [
      "iha-notified", "iha-timely", "iha-practitioner", "iha-care-context", "iha-birth-neonatal",
      "iha-parental-history", "iha-health-info-gathered", "iha-domains-complete", "iha-emotional-wellbeing",
      "iha-identity-culture", "iha-uasc", "iha-sw-carer-parent-involved", "iha-summary-plan-produced", "iha-qa-recorded",
      "hp-smart", "hp-needs-carried-forward", "hp-referrals-timely", "hp-copies-shared",
      "core-voice-of-child", "core-consent", "core-language-culture",
    ];
    expect([...byId.keys()].sort()).toEqual(expected.sort());
    // RHA only
    expect(byId.has("hp-previous-reviewed")).toBe(false);
  });

  test("iha-timely is worked out by the IHA timeliness rule over 20 working days", () => {
    const c = byId.get("iha-timely")!;
    expect(c.rule).toEqual({ type: "iha_timeliness", lookedAfter: "date_looked_after", seen: "iha_seen", reportSent: "iha_report_sent", days: 20 });
    expect(c.answers).toEqual(["met", "partial", "not_met"]);
    expect(c.family).toBe("iha-timeliness");
  });

  test("iha-notified uses the configurable 5-working-day local default and says so", () => {
    const c = byId.get("iha-notified")!;
    expect(c.rule).toEqual({ type: "within_working_days", from: "date_looked_after", to: "iha_request_received", days: 5 });
    expect(c.guidance.met).toMatch(/local default/);
  });

  test("iha-uasc allows not applicable and says when to use it", () => {
    const c = byId.get("iha-uasc")!;
    expect(c.answers).toContain("na");
    expect(Object.values(c.guidance).join(" ")).toMatch(/not applicable if the child is not an unaccompanied asylum-seeking child/i);
  });

  test("headline families are marked", () => {
    expect(byId.get("hp-smart")!.family).toBe("smart-plans");
    expect(byId.get("core-voice-of-child")!.family).toBe("voice-of-the-child");
  });

  test("sources carry the catalogue's recommendations", () => {
    expect(byId.get("hp-smart")!.sources).toContainEqual({ report: "HAR", paragraph: "§4.4", recommendation: "R10.4" });
    expect(byId.get("iha-timely")!.sources).toContainEqual({ report: "ROT", paragraph: "§4.1", recommendation: "R4.8" });
  });

  test("has the case fields T01 needs", () => {
    expect(template.caseFields.map((f) => f.id)).toEqual([
      "date_of_birth", "date_looked_after", "legal_status", "placement", "uasc",
      "iha_request_received", "iha_seen", "iha_report_sent", "iha_practitioner",
    ]);
    expect(field("date_of_birth")).toMatchObject({ type: "date", required: true });
    expect(field("date_looked_after")).toMatchObject({ type: "date", required: true, label: "Date the child became looked after" });
    expect(field("uasc")).toMatchObject({ type: "yes_no", label: "Unaccompanied asylum-seeking child" });
    expect(field("iha_request_received")).toMatchObject({ type: "date", notBefore: "date_looked_after" });
    expect(field("iha_seen")).toMatchObject({ type: "date", notBefore: "date_looked_after" });
    expect(field("iha_report_sent")).toMatchObject({ type: "date", notBefore: "iha_seen" });

    const options = (id: string) => {
      const f = field(id);
      return f?.type === "choice" ? f.options.map((o) => o.label) : [];
    };
    expect(options("legal_status")).toEqual([
      "Section 20 accommodation", "Care order", "Interim care order", "Placement order", "Police protection", "Other",
    ]);
    expect(options("placement")).toEqual(["In area", "Out of area"]);
    expect(options("iha_practitioner")).toEqual([
      "Paediatrician", "GP with LAC training", "Other registered medical practitioner", "LAC nurse", "Other",
    ]);
  });
});
