/**
 * The manager's home and cross-audit roll-ups (issue #5). Both read the tallies stored for each
 * complete or closed audit (app/models/stored-results.server.ts), so a request sums a few rows
 * per audit and group instead of scoring every stored answer.
 *
 * - `dashboardData(db, today)`: for each template (by key, across versions) and each service
 *   in scope of its complete or closed audits, the latest audit's compliance for that service,
 *   the SPC variation icon of the service's series and the change since the previous cycle
 *   (the same series and icon as `templateTrends(db, key, { serviceId })`; the test compares them).
 * - `pooledResults(db, filters)`: compliance across complete or closed audits grouped by
 *   provider, service or team, pooling every case × criterion answer, each audit scored with
 *   its own pinned template (and so its own partial credit).
 */
import { addCounts, emptyCounts, figureOf, type Counts } from "~/lib/result-cells";
import {
  withConfidence,
  worstCriteria,
  type GroupBy,
  type FigureWithConfidence,
  type RankedCriterion,
} from "~/lib/rollup-figures";
import type { Figure, RagThresholds } from "~/lib/scoring";
import { VARIATION_ICONS, xmr, type Variation } from "~/lib/spc";
import { orderCycles } from "~/lib/trend-series";
import type { Db } from "~/utils/db.server";
import {
  ensureStoredResults,
  FINISHED,
  storedCells,
  storedCriteria,
} from "./stored-results.server";
import { actionSummary } from "./actions.server";
import { getTemplateVersion } from "./templates.server";
import { latestTemplateVersion } from "./trends.server";


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
      "audits.status",
      "audits.results_at",
    ])
    .where("audits.status", "in", FINISHED);
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
      status: r.status,
      resultsAt: r.results_at,
    }))
    .filter(
      (a) => !today || !a.completedAt || a.completedAt.slice(0, 10) <= today
    );
  await ensureStoredResults(db, audits);
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
  /** The series itself, oldest first (percentages of the cycles with applicable cases). */
  series: number[];
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
): Promise<{
  today: string;
  templates: DashboardTemplate[];
  /** The action plans to chase: actions not done, and how many are overdue. */
  actions: Awaited<ReturnType<typeof actionSummary>>;
}> {
  const actions = await actionSummary(db, today);
  const audits = await doneAudits(db, { today });
  if (audits.length === 0) return { today, templates: [], actions };
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
  const byAuditService = new Map<string, Counts>();
  for (const cell of await storedCells(
    db,
    audits.map((a) => a.id)
  )) {
    const k = `${cell.auditId}|${cell.serviceId}`;
    byAuditService.set(k, addCounts(byAuditService.get(k) ?? emptyCounts(), cell));
  }
  for (const audit of audits) {
    const tv = await template(audit.templateVersionId);
    if (!tv) continue;
    const t = tv.template;
    const byKey = series.get(audit.key) ?? new Map();
    series.set(audit.key, byKey);
    for (const s of scopeOf.get(audit.id) ?? []) {
      const entry = byKey.get(s.id) ?? {
        name: s.name,
        providerName: s.providerName,
        points: [],
      };
      const counts = byAuditService.get(`${audit.id}|${s.id}`);
      const f = counts ? figureOf(counts, t.rag, t.partialCredit) : null;
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
        series: plotted,
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
  return { today, templates, actions };
}

// --- Roll-ups across audits.


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

/** The choices for the filters: templates with complete or closed audits, and case types used. */
export async function resultsFilterOptions(db: Db) {
  const templates = await db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["tv.key"])
    .distinct()
    .where("audits.status", "in", FINISHED)
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
    .where("audits.status", "in", FINISHED)
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
export type PooledCriterion = RankedCriterion<
  FigureWithConfidence & { criterionId: string; question: string }
>;

export async function pooledResults(
  db: Db,
  filters: ResultsFilters
): Promise<{
  rows: ResultsRow[];
  auditCount: number;
  anyMixed: boolean;
  /** With one template chosen: its criteria across the matching audits, worst first. */
  worst: { green: number; criteria: PooledCriterion[] } | null;
}> {
  const audits = await doneAudits(db, {
    key: filters.template,
    from: filters.from,
    to: filters.to,
  });
  const template = templateCache(db);
  const cells = (await storedCells(
    db,
    audits.map((a) => a.id)
  )).filter((c) => !filters.caseType || c.caseType === filters.caseType);
  const services = new Map(
    (
      await db
        .selectFrom("services")
        .innerJoin("providers", "providers.id", "services.provider_id")
        .select([
          "services.id",
          "services.name",
          "providers.id as providerId",
          "providers.name as providerName",
        ])
        .execute()
    ).map((s) => [s.id, s])
  );
  const teams = new Map(
    (await db.selectFrom("teams").select(["id", "name"]).execute()).map(
      (t) => [t.id, t.name]
    )
  );
  const cellsOf = new Map<number, typeof cells>();
  for (const c of cells)
    cellsOf.set(c.auditId, [...(cellsOf.get(c.auditId) ?? []), c]);

  type Acc = Counts & {
    label: string;
    context: string | null;
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
    for (const c of cellsOf.get(audit.id) ?? []) {
      const s = services.get(c.serviceId);
      if (!s) continue;
      const [groupId, label, context] =
        filters.groupBy === "provider"
          ? [`p${s.providerId}`, s.providerName, null]
          : filters.groupBy === "service"
          ? [`s${s.id}`, s.name, s.providerName]
          : c.teamId === null
          ? [
              `s${s.id}-none`,
              "No team recorded",
              `${s.name} (${s.providerName})`,
            ]
          : [
              `t${c.teamId}`,
              teams.get(c.teamId) ?? "",
              `${s.name} (${s.providerName})`,
            ];
      const g: Acc = groups.get(groupId) ?? {
        label,
        context,
        ...emptyCounts(),
        cases: 0,
        applicableCases: 0,
        audits: new Set(),
        keys: new Set(),
        lastThresholds: t.rag,
      };
      groups.set(groupId, g);
      addCounts(g, c);
      g.cases += c.cases;
      g.applicableCases += c.applicableCases;
      g.audits.add(audit.id);
      g.keys.add(audit.key);
      g.lastThresholds = t.rag; // audits are in cycle order: the latest audit's thresholds
    }
  }

  const rows: ResultsRow[] = [...groups.entries()].map(([groupId, g]) => {
    const mixedTemplates = g.keys.size > 1;
    const thresholds = mixedTemplates ? DEFAULT_RAG : g.lastThresholds;
    const figure = figureOf(g, thresholds);
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
    worst: filters.template
      ? await pooledWorstCriteria(db, filters.template, audits, filters.caseType)
      : null,
  };
}

/**
 * A template's criteria pooled across the given audits of it (matched across versions by id,
 * labelled with the newest wording), ranked by how far below the latest version's green
 * threshold they are, worst first. The denominator of a criterion is its applicable cases.
 */
async function pooledWorstCriteria(
  db: Db,
  key: string,
  audits: DoneAudit[],
  caseType: string | null
): Promise<{ green: number; criteria: PooledCriterion[] } | null> {
  const latest = await latestTemplateVersion(db, key);
  if (!latest) return null;
  const t = latest.template;
  const template = templateCache(db);
  const questions = new Map<string, string>();
  // Oldest audit first, so the newest wording wins; the latest version's wording over all.
  for (const a of audits) {
    const tv = await template(a.templateVersionId);
    for (const s of tv?.template.sections ?? [])
      for (const c of s.criteria) questions.set(c.id, c.question);
  }
  const order = t.sections.flatMap((s) => s.criteria.map((c) => c.id));
  for (const s of t.sections)
    for (const c of s.criteria) questions.set(c.id, c.question);
  const sums = new Map<string, Counts>();
  for (const row of await storedCriteria(
    db,
    audits.map((a) => a.id),
    { caseType }
  ))
    sums.set(
      row.criterionId,
      addCounts(sums.get(row.criterionId) ?? emptyCounts(), row)
    );
  const ids = [
    ...order.filter((id) => sums.has(id)),
    ...[...sums.keys()].filter((id) => !order.includes(id)),
  ];
  const criteria = ids.map((id) => ({
    ...withConfidence(figureOf(sums.get(id)!, t.rag)),
    criterionId: id,
    question: questions.get(id) ?? id,
  }));
  return { green: t.rag.green, criteria: worstCriteria(criteria, t.rag) };
}
