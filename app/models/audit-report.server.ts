/**
 * The printable audit report (issue 5), laid out like the reports auditors write today:
 * purpose, standards audited with their sources, method (population, sample and how it was
 * drawn, changes after the draw, moderation), results by criterion and service, and the action
 * plan. One read for the whole page; the figures come from `auditFigures`, so they cannot differ
 * from the results page, the exports or the summary JSON.
 *
 * Case-level detail: the reasons for changes to the sample are free text about single cases and
 * carry case references, so they are in the report only for roles that may see cases
 * (`caseDetail`); everyone else gets the counts. Nothing here reads notes or case fields.
 */
import { compareCodePoints } from "~/lib/sampling";
import type { Db } from "~/utils/db.server";
import type { AuditWithTemplate } from "./audits.server";
import { listActions, listNoActionReasons } from "./actions.server";
import { countModeratedCases } from "./moderation.server";
import { describeMethod, listSampleChanges, samplingOverview } from "./sampling.server";
import { auditFigures } from "./summary.server";

export type ReportOptions = {
  /** The reader may see case-level detail (`viewCases`): case references and reasons for sample changes. */
  caseDetail: boolean;
  /** Today (ISO date, London), for overdue actions. */
  today: string;
};

/** The report's content, every section, for one audit. */
export async function auditReport(db: Db, audit: AuditWithTemplate, { caseDetail, today }: ReportOptions) {
  const { template } = audit;
  const { rollup, caseCount, asOf } = await auditFigures(db, audit);
  const overview = await samplingOverview(db, audit.id);
  const changes = await listSampleChanges(db, audit.id);
  const moderated = await countModeratedCases(db, audit.id);
  const actions = await listActions(db, { auditId: audit.id }, today);
  const reasons = await listNoActionReasons(db, audit.id);
  const questions = new Map(template.sections.flatMap((s) => s.criteria.map((c) => [c.id, c.question] as const)));
  const providers = [...new Set(audit.services.map((s) => s.provider_name))].sort(compareCodePoints);
  const sample = overview.sample;

  return {
    audit: {
      id: audit.id,
      title: audit.title,
      status: audit.status,
      periodStart: audit.period_start,
      periodEnd: audit.period_end,
      completedAt: audit.completed_at,
      templateTitle: template.title,
      templateKey: audit.templateKey,
      templateVersion: audit.templateVersion,
    },
    organisation: { providers, services: audit.services.map((s) => ({ id: s.id, name: s.name, provider: s.provider_name })) },
    /** The template's description: why the audit is done. */
    purpose: template.description,
    auditedBy: template.auditedBy ?? null,
    standards: template.sections.map((s) => ({
      id: s.id,
      title: s.title,
      description: s.description ?? null,
      criteria: s.criteria.map((c) => ({
        id: c.id,
        question: c.question,
        sources: c.sources.map((src) => ({ report: src.report, paragraph: src.paragraph, recommendation: src.recommendation ?? null })),
      })),
    })),
    method: {
      /** Every case of the case list not excluded (imported and added by hand). */
      population: overview.population,
      /** Imported cases the draw chose from (not excluded). */
      imported: overview.imported,
      /** In the sample now (not excluded). */
      sampled: overview.sampled,
      /** Cases scored in the results (sampled, not excluded). */
      scored: caseCount,
      handAdded: overview.handAdded,
      excluded: overview.excluded,
      sample: sample
        ? {
            seed: sample.seed,
            algorithm: sample.algorithm,
            description: sample.method ? describeMethod(sample.method) : null,
            strata: sample.method?.strata.map((s) => ({ label: s.label, population: s.population, sample: s.sample })) ?? [],
            populationSize: sample.populationSize,
            sampleSize: sample.sampleSize,
            drawnAt: sample.drawnAt,
            drawnBy: sample.drawnBy,
          }
        : null,
      changes: {
        added: changes.filter((c) => c.change === "added").length,
        excluded: changes.filter((c) => c.change === "excluded").length,
        /** Each change with its case reference and reason: only for roles that may see cases, else null. */
        list: caseDetail ? changes.map((c) => ({ caseRef: c.caseRef, change: c.change, reason: c.reason, at: c.at })) : null,
      },
      moderated,
    },
    results: {
      asOf,
      caseCount,
      rag: template.rag,
      partialCredit: template.partialCredit,
      overall: rollup.overall,
      bySection: rollup.bySection,
      byCriterion: rollup.byCriterion,
      byService: rollup.byService,
    },
    actionPlan: {
      actions: actions.map((a) => ({
        id: a.id,
        auditId: a.auditId,
        description: a.description,
        criterion: a.criterion,
        owner: a.owner,
        services: a.services,
        dueDate: a.dueDate,
        status: a.status,
        overdue: a.overdue,
        completedAt: a.completedAt,
      })),
      noActionReasons: reasons
        .map((r) => ({ criterionId: r.criterion_id, criterion: questions.get(r.criterion_id) ?? r.criterion_id, reason: r.reason, recordedAt: r.recorded_at, recordedBy: r.recorded_by_name }))
        .sort((a, b) => compareCodePoints(a.criterion, b.criterion)),
    },
  };
}

export type AuditReport = Awaited<ReturnType<typeof auditReport>>;
