import { describe, expect, it } from "vitest";
import { diffTemplates } from "~/lib/template-diff";
import { TemplateSchema, type TemplateInput } from "~/schemas/template";

const base: TemplateInput = {
  key: "t",
  version: 1,
  title: "A template",
  description: "For tests.",
  caseTypes: ["CHILD"],
  caseFields: [{ id: "date_of_birth", label: "Date of birth", type: "date" }],
  sections: [
    {
      id: "one",
      title: "Section one",
      criteria: [
        { id: "kept", question: "Kept?", guidance: { met: "Yes." }, sources: [{ report: "HAR", paragraph: "§1.1" }] },
        { id: "reworded", question: "Old wording?", guidance: { met: "Yes." }, sources: [{ report: "HAR", paragraph: "§1.2" }] },
        { id: "dropped", question: "Dropped?", guidance: { met: "Yes." }, sources: [{ report: "ROT", paragraph: "§2.1" }] },
        { id: "guided", question: "Guided?", guidance: { met: "Old guidance." }, sources: [{ report: "LUT", paragraph: "§3.1" }] },
      ],
    },
  ],
};

const v1 = TemplateSchema.parse(base);
const v2 = TemplateSchema.parse({
  ...base,
  version: 2,
  rag: { green: 95, amber: 80 },
  caseFields: [...base.caseFields!, { id: "uasc", label: "Unaccompanied asylum-seeking child", type: "yes_no" }],
  sections: [
    {
      id: "one",
      title: "Section one",
      criteria: [
        base.sections[0].criteria[0],
        { ...base.sections[0].criteria[1], question: "New wording?" },
        { ...base.sections[0].criteria[3], guidance: { met: "New guidance." }, applicableWhen: [{ field: "uasc", equals: "yes" }] },
        { id: "added", question: "Added?", guidance: { met: "Yes." }, sources: [{ report: "BAR", paragraph: "§4.1" }] },
      ],
    },
  ],
});

describe("diffTemplates", () => {
  const diff = diffTemplates(v1, v2);

  it("matches criteria by id: added, removed, reworded (history continues) and changed", () => {
    expect(diff.changes).toEqual([
      { kind: "reworded", id: "reworded", before: "Old wording?", after: "New wording?", section: "Section one", also: [] },
      { kind: "changed", id: "guided", question: "Guided?", section: "Section one", what: ["guidance", "when it applies"] },
      { kind: "added", id: "added", question: "Added?", section: "Section one" },
      { kind: "removed", id: "dropped", question: "Dropped?", section: "Section one" },
    ]);
    expect(diff.unchanged).toBe(1);
  });

  it("describes template-level changes in words", () => {
    expect(diff.template).toEqual([
      "RAG thresholds changed from green 90% / amber 75% to green 95% / amber 80%.",
      "Case detail added: “Unaccompanied asylum-seeking child”.",
    ]);
  });

  it("finds nothing between a version and itself", () => {
    expect(diffTemplates(v2, v2)).toEqual({ changes: [], template: [], unchanged: 4 });
  });
});
