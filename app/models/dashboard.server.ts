/**
 * The manager's home and cross-audit roll-ups (issue #5).
 *
 * - `dashboardData(db, today)`: for each template (by key, across versions) and each service
 *   in scope of its complete or closed audits, the latest audit's compliance for that service,
 *   the SPC variation icon of the service's series and the change since the previous cycle.
 *   Each audit is scored once (all its services at once, by the one scoring module), rather
 *   than once per service as `templateTrends(db, key, { serviceId })` does; the series and icon
 *   are the same (the test compares them).
 * - `pooledResults(db, filters)`: compliance across complete or closed audits grouped by
 *   provider, service or team, pooling every case × criterion answer, each audit scored with
 *   its own pinned template (and so its own partial credit).
 */
import type { Answer } from "~/lib/answers";
import {
  withConfidence,
  type FigureWithConfidence,
} from "~/lib/rollup-figures";
import {
  caseAnswers,
  ragFor,
  rollUp,
  type Figure,
  type Rag,
  type RagThresholds,
} from "~/lib/scoring";
import { VARIATION_ICONS, xmr, type Variation } from "~/lib/spc";
import { orderCycles } from "~/lib/trend-series";
import type { Db } from "~/utils/db.server";
import { listCasesForScoring } from "./cases.server";
import { auditAsOf } from "./results.server";
import { auditSettings } from "./settings.server";
import { getTemplateVersion } from "./templates.server";
import { latestTemplateVersion } from "./trends.server";

const DONE = ["complete", "closed"] as const;

/** RAG thresholds used when a pooled figure mixes templates. */
export const DEFAULT_RAG: RagThresholds = { green: 90, amber: 75 };

type DoneAudit = {
  id: number;
  title: string;
  key: string;
  templateVersionId: number;
  periodStart: string;
  periodEnd: string;
  completedAt: string | null;
  settings: string | null;
};

/** Complete or closed audits (optionally only those completed on or before `today`), in cycle order. */
async function doneAudits(
  db: Db,
  {
    today,
    key,
    from,
    to,
  }: {
    today?: string;
    key?: string | null;
    from?: string | null;
    to?: string | null;
  } = {}
): Promise<DoneAudit[]> {
  let q = db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select([
      "audits.id",
      "audits.title",
      "tv.key",
      "audits.template_version_id",
      "audits.period_start",
      "audits.period_end",
      "audits.completed_at",
      "audits.settings",
    ])
    .where("audits.status", "in", DONE);
  if (key) q = q.where("tv.key", "=", key);
  if (from) q = q.where("audits.period_end", ">=", from);
  if (to) q = q.where("audits.period_end", "<=", to);
  const rows = await q.execute();
  const audits = rows
    .map((r) => ({
      id: r.id,
      auditId: r.id,
      title: r.title,
      key: r.key,
      templateVersionId: r.template_version_id,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      completedAt: r.completed_at,
      settings: r.settings,
    }))
    .filter(
      (a) => !today || !a.completedAt || a.completedAt.slice(0, 10) <= today
    );
  return orderCycles(audits);
}

/** Caches template versions by id for one request. */
function templateCache(db: Db) {
  const cache = new Map<number, ReturnType<typeof getTemplateVersion>>();
  return (id: number) => {
    if (!cache.has(id)) cache.set(id, getTemplateVersion(db, id));
    return cache.get(id)!;
  };
}

export type DashboardRow = {
  templateKey: string;
  serviceId: number;
  serviceName: string;
  providerName: string;
  audit: { id: number; title: string; periodStart: string; periodEnd: string };
  figure: Pick<
    Figure,
    | "met"
    | "partial"
    | "notMet"
    | "numerator"
    | "denominator"
    | "percent"
    | "rag"
  >;
  /** The SPC variation of the service's series (cycles with applicable cases), from the latest point. */
  variation: Variation;
  variationLabel: string;
  /** Points in the service's series; fewer than 12 makes the limits unreliable. */
  points: number;
  tooFewPoints: boolean;
  previous: { auditId: number; title: string; percent: number | null } | null;
  /** Percentage points (latest − previous), full precision; null without both figures. */
  change: number | null;
};

export type DashboardTemplate = {
  key: string;
  title: string;
  version: number;
  green: number;
  amber: number;
  rows: DashboardRow[];
};

/**
 * The manager's dashboard as it stood on `today` (audits completed after it are left out): one
 * table per template, one row per service with the latest complete or closed audit.
 */
export async function dashboardData(
  db: Db,
  today: string
): Promise<{ today: string; templates: DashboardTemplate[] }> {
  const audits = await doneAudits(db, { today });
  if (audits.length === 0) return { today, templates: [] };
  const template = templateCache(db);
  const scope = await db
    .selectFrom("audit_services")
    .innerJoin("services", "services.id", "audit_services.service_id")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select([
      "audit_services.audit_id",
      "services.id",
      "services.name",
      "providers.name as providerName",
    ])
    .where(
      "audit_services.audit_id",
      "in",
      audits.map((a) => a.id)
    )
    .execute();
  const scopeOf = new Map<number, typeof scope>();
  for (const s of scope)
    scopeOf.set(s.audit_id, [...(scopeOf.get(s.audit_id) ?? []), s]);

  // key → service → cycles (in order)
  type Point = { audit: DoneAudit; figure: DashboardRow["figure"] | null };
  const series = new Map<
    string,
    Map<number, { name: string; providerName: string; points: Point[] }>
  >();
  for (const audit of audits) {
    const tv = await template(audit.templateVersionId);
    if (!tv) continue;
    const cases = await listCasesForScoring(db, audit.id);
    const rollup = rollUp(
      tv.template,
      cases,
      auditAsOf({ completed_at: audit.completedAt }),
      auditSettings(audit)
    );
    const byService = new Map(rollup.byService.map((s) => [s.serviceId, s]));
    const byKey = series.get(audit.key) ?? new Map();
    series.set(audit.key, byKey);
    for (const s of scopeOf.get(audit.id) ?? []) {
      const entry = byKey.get(s.id) ?? {
        name: s.name,
        providerName: s.providerName,
        points: [],
      };
      const f = byService.get(s.id);
      entry.points.push({
        audit,
        figure: f
          ? {
              met: f.met,
              partial: f.partial,
              notMet: f.notMet,
              numerator: f.numerator,
              denominator: f.denominator,
              percent: f.percent,
              rag: f.rag,
            }
          : null,
      });
      byKey.set(s.id, entry);
    }
  }

  const templates: DashboardTemplate[] = [];
  for (const [key, services] of series) {
    const latest = await latestTemplateVersion(db, key);
    if (!latest) continue;
    const t = latest.template;
    const rows: DashboardRow[] = [];
    for (const [serviceId, s] of services) {
      const last = s.points[s.points.length - 1];
      const prev = s.points.length > 1 ? s.points[s.points.length - 2] : null;
      const plotted = s.points
        .map((p) => p.figure?.percent ?? null)
        .filter((p): p is number => p !== null);
      const spc = xmr(plotted, { improvement: "up", target: t.rag.green });
      const latestPercent = last.figure?.percent ?? null;
      const previousPercent = prev?.figure?.percent ?? null;
      rows.push({
        templateKey: key,
        serviceId,
        serviceName: s.name,
        providerName: s.providerName,
        audit: {
          id: last.audit.id,
          title: last.audit.title,
          periodStart: last.audit.periodStart,
          periodEnd: last.audit.periodEnd,
        },
        figure: last.figure ?? {
          met: 0,
          partial: 0,
          notMet: 0,
          numerator: 0,
          denominator: 0,
          percent: null,
          rag: null,
        },
        variation: spc.variation,
        variationLabel: VARIATION_ICONS[spc.variation].label,
        points: plotted.length,
        tooFewPoints: spc.tooFewPoints,
        previous: prev
          ? {
              auditId: prev.audit.id,
              title: prev.audit.title,
              percent: previousPercent,
            }
          : null,
        change:
          latestPercent !== null && previousPercent !== null
            ? latestPercent - previousPercent
            : null,
      });
    }
    rows.sort(
      (a, b) =>
        a.serviceName.localeCompare(b.serviceName, "en-GB") ||
        a.providerName.localeCompare(b.providerName, "en-GB") ||
        a.serviceId - b.serviceId
    );
    templates.push({
      key,
      title: t.title,
      version: t.version,
      green: t.rag.green,
      amber: t.rag.amber,
      rows,
    });
  }
  templates.sort(
    (a, b) =>
      a.title.localeCompare(b.title, "en-GB") || a.key.localeCompare(b.key)
  );
  return { today, templates };
}

// --- Roll-ups across audits.

export const GROUP_BY = ["provider", "service", "team"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export type ResultsFilters = {
  groupBy: GroupBy;
  /** Template key, or null for every template. */
  template: string | null;
  /** Audits whose period ends on or after / before this ISO date. */
  from: string | null;
  to: string | null;
  caseType: string | null;
};

export type ResultsRow = FigureWithConfidence & {
  groupId: string;
  label: string;
  /** The provider, for a service or team; the service, for a team. */
  context: string | null;
  audits: number;
  cases: number;
  templates: string[];
  /** True when the group mixes templates, so the RAG uses the default 90 / 75. */
  mixedTemplates: boolean;
  thresholds: RagThresholds;
};

const applicable = (a: Answer | null) =>
  a === "met" || a === "partial" || a === "not_met";

/** The choices for the filters: templates with complete or closed audits, and case types used. */
export async function resultsFilterOptions(db: Db) {
  const templates = await db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["tv.key"])
    .distinct()
    .where("audits.status", "in", DONE)
    .orderBy("tv.key")
    .execute();
  const withTitles = [];
  for (const { key } of templates) {
    const latest = await latestTemplateVersion(db, key);
    withTitles.push({ key, title: latest?.template.title ?? key });
  }
  withTitles.sort((a, b) => a.title.localeCompare(b.title, "en-GB"));
  const caseTypes = await db
    .selectFrom("cases")
    .innerJoin("audits", "audits.id", "cases.audit_id")
    .select("cases.case_type")
    .distinct()
    .where("audits.status", "in", DONE)
    .orderBy("cases.case_type")
    .execute();
  return {
    templates: withTitles,
    caseTypes: caseTypes.map((c) => c.case_type),
  };
}

/**
 * Compliance across the matching complete or closed audits, grouped: every case × criterion
 * answer of the matching cases pooled per group (each audit's answers from its own pinned
 * template, date rules as of its completion, with that template's partial credit).
 */
export async function pooledResults(
  db: Db,
  filters: ResultsFilters
): Promise<{ rows: ResultsRow[]; auditCount: number; anyMixed: boolean }> {
  const audits = await doneAudits(db, {
    key: filters.template,
    from: filters.from,
    to: filters.to,
  });
  const template = templateCache(db);
  const where = new Map<
    number,
    {
      teamId: number | null;
      teamName: string | null;
      serviceId: number;
      serviceName: string;
      providerId: number;
      providerName: string;
    }
  >();
  if (audits.length) {
    const rows = await db
      .selectFrom("cases")
      .innerJoin("services", "services.id", "cases.service_id")
      .innerJoin("providers", "providers.id", "services.provider_id")
      .leftJoin("teams", "teams.id", "cases.team_id")
      .select([
        "cases.id",
        "cases.team_id",
        "teams.name as team_name",
        "services.id as service_id",
        "services.name as service_name",
        "providers.id as provider_id",
        "providers.name as provider_name",
      ])
      .where(
        "cases.audit_id",
        "in",
        audits.map((a) => a.id)
      )
      .execute();
    for (const r of rows)
      where.set(r.id, {
        teamId: r.team_id,
        teamName: r.team_name,
        serviceId: r.service_id,
        serviceName: r.service_name,
        providerId: r.provider_id,
        providerName: r.provider_name,
      });
  }

  type Acc = {
    label: string;
    context: string | null;
    met: number;
    partial: number;
    notMet: number;
    na: number;
    unanswered: number;
    numerator: number;
    cases: number;
    applicableCases: number;
    audits: Set<number>;
    keys: Set<string>;
    lastThresholds: RagThresholds;
  };
  const groups = new Map<string, Acc>();
  for (const audit of audits) {
    const tv = await template(audit.templateVersionId);
    if (!tv) continue;
    const t = tv.template;
    const asOf = auditAsOf({ completed_at: audit.completedAt });
    const settings = auditSettings(audit);
    const cases = (await listCasesForScoring(db, audit.id)).filter(
      (c) => !filters.caseType || c.caseType === filters.caseType
    );
    for (const c of cases) {
      const w = where.get(c.id);
      if (!w) continue;
      const [groupId, label, context] =
        filters.groupBy === "provider"
          ? [`p${w.providerId}`, w.providerName, null]
          : filters.groupBy === "service"
          ? [`s${w.serviceId}`, w.serviceName, w.providerName]
          : w.teamId === null
          ? [
              `s${w.serviceId}-none`,
              "No team recorded",
              `${w.serviceName} (${w.providerName})`,
            ]
          : [
              `t${w.teamId}`,
              w.teamName ?? "",
              `${w.serviceName} (${w.providerName})`,
            ];
      const g: Acc = groups.get(groupId) ?? {
        label,
        context,
        met: 0,
        partial: 0,
        notMet: 0,
        na: 0,
        unanswered: 0,
        numerator: 0,
        cases: 0,
        applicableCases: 0,
        audits: new Set(),
        keys: new Set(),
        lastThresholds: t.rag,
      };
      groups.set(groupId, g);
      g.cases += 1;
      g.audits.add(audit.id);
      g.keys.add(audit.key);
      g.lastThresholds = t.rag; // audits are in cycle order: the latest audit's thresholds
      let any = false;
      for (const a of Object.values(caseAnswers(t, c, asOf, settings))) {
        if (a.answer === "met") g.met += 1;
        else if (a.answer === "partial") g.partial += 1;
        else if (a.answer === "not_met") g.notMet += 1;
        else if (a.answer === "na") g.na += 1;
        else g.unanswered += 1;
        if (a.answer === "met") g.numerator += 1;
        if (a.answer === "partial") g.numerator += t.partialCredit;
        if (applicable(a.answer)) any = true;
      }
      if (any) g.applicableCases += 1;
    }
  }

  const rows: ResultsRow[] = [...groups.entries()].map(([groupId, g]) => {
    const mixedTemplates = g.keys.size > 1;
    const thresholds = mixedTemplates ? DEFAULT_RAG : g.lastThresholds;
    const denominator = g.met + g.partial + g.notMet;
    const percent =
      denominator === 0 ? null : (100 * g.numerator) / denominator;
    const figure: Figure = {
      met: g.met,
      partial: g.partial,
      notMet: g.notMet,
      na: g.na,
      unanswered: g.unanswered,
      numerator: g.numerator,
      denominator,
      percent,
      rag: ragFor(percent, thresholds) as Rag | null,
    };
    return {
      ...withConfidence(figure, g.applicableCases),
      groupId,
      label: g.label,
      context: g.context,
      audits: g.audits.size,
      cases: g.cases,
      templates: [...g.keys].sort(),
      mixedTemplates,
      thresholds,
    };
  });
  rows.sort(
    (a, b) =>
      a.label.localeCompare(b.label, "en-GB") ||
      (a.context ?? "").localeCompare(b.context ?? "", "en-GB") ||
      a.groupId.localeCompare(b.groupId)
  );
  return {
    rows,
    auditCount: audits.length,
    anyMixed: rows.some((r) => r.mixedTemplates),
  };
}
