/**
 * What changed between two versions of a template, criterion by criterion. Criteria are
 * matched by their stable id: a changed question is "reworded" (its results line continues),
 * a new id is "added", a missing id "removed".
 */
import type { Criterion, Template } from "~/schemas/template-types";

export type CriterionChange =
  | { kind: "added"; id: string; question: string; section: string }
  | { kind: "removed"; id: string; question: string; section: string }
  | { kind: "reworded"; id: string; before: string; after: string; section: string; also: string[] }
  | { kind: "changed"; id: string; question: string; section: string; what: string[] };

export type TemplateDiff = {
  changes: CriterionChange[];
  /** Template-level differences, in words (title, thresholds, case fields, sections). */
  template: string[];
  unchanged: number;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The parts of a criterion other than its question that differ, as words. */
function otherChanges(a: Criterion & { sectionId: string }, b: Criterion & { sectionId: string }): string[] {
  const what: string[] = [];
  if (!same(a.guidance, b.guidance)) what.push("guidance");
  if (!same(a.answers, b.answers)) what.push("answers allowed");
  if (!same(a.noteRequiredFor, b.noteRequiredFor)) what.push("when a note is required");
  if (!same(a.rule, b.rule)) what.push("date rule");
  if (!same(a.applicableWhen, b.applicableWhen)) what.push("when it applies");
  if (!same(a.measure, b.measure)) what.push("measure");
  if (!same(a.sources, b.sources)) what.push("sources");
  if (!same(a.family, b.family)) what.push("headline family");
  if (a.sectionId !== b.sectionId) what.push("section");
  return what;
}

function criteriaOf(t: Pick<Template, "sections">) {
  return t.sections.flatMap((s) => s.criteria.map((c) => ({ ...c, sectionId: s.id, sectionTitle: s.title })));
}

export function diffTemplates(from: Template, to: Template): TemplateDiff {
  const before = new Map(criteriaOf(from).map((c) => [c.id, c]));
  const after = criteriaOf(to);
  const afterIds = new Set(after.map((c) => c.id));
  const changes: CriterionChange[] = [];
  let unchanged = 0;
  for (const c of after) {
    const old = before.get(c.id);
    if (!old) {
      changes.push({ kind: "added", id: c.id, question: c.question, section: c.sectionTitle });
      continue;
    }
    const what = otherChanges(old, c);
    if (old.question !== c.question) changes.push({ kind: "reworded", id: c.id, before: old.question, after: c.question, section: c.sectionTitle, also: what });
    else if (what.length > 0) changes.push({ kind: "changed", id: c.id, question: c.question, section: c.sectionTitle, what });
    else unchanged += 1;
  }
  for (const c of before.values()) {
    if (!afterIds.has(c.id)) changes.push({ kind: "removed", id: c.id, question: c.question, section: c.sectionTitle });
  }

  const template: string[] = [];
  if (from.title !== to.title) template.push(`Title changed from “${from.title}” to “${to.title}”.`);
  if (from.description !== to.description) template.push("Description changed.");
  if (!same(from.rag, to.rag)) template.push(`RAG thresholds changed from green ${from.rag.green}% / amber ${from.rag.amber}% to green ${to.rag.green}% / amber ${to.rag.amber}%.`);
  if (from.partialCredit !== to.partialCredit) template.push(`Partial credit changed from ${from.partialCredit} to ${to.partialCredit}.`);
  const fieldsBefore = new Map(from.caseFields.map((f) => [f.id, f]));
  const fieldsAfter = new Map(to.caseFields.map((f) => [f.id, f]));
  for (const f of to.caseFields) {
    const old = fieldsBefore.get(f.id);
    if (!old) template.push(`Case detail added: “${f.label}”.`);
    else if (!same(old, f)) template.push(`Case detail changed: “${f.label}”.`);
  }
  for (const f of from.caseFields) if (!fieldsAfter.has(f.id)) template.push(`Case detail removed: “${f.label}”.`);
  return { changes, template, unchanged };
}
