/**
 * Trends for a template: each complete or closed audit of any of its versions is one point
 * (ordered by period end), with the figures stored when it was finished (scored by the one
 * scoring module as of its completion with its pinned settings; app/models/stored-results.server.ts),
 * then charted by app/lib/trend-series.ts (XmR, MDC rules and icons).
 */
import { addCounts, emptyCounts, figureOf, type Counts } from "~/lib/result-cells";
import { buildTrends, type Cycle } from "~/lib/trend-series";
import type { Db } from "~/utils/db.server";
import { ensureStoredResults, FINISHED, storedCriteria } from "./stored-results.server";
import { getTemplateVersion, listTemplateVersions } from "./templates.server";

/** The latest version of a template by key, or undefined. */
export async function latestTemplateVersion(db: Db, key: string) {
  const versions = await listTemplateVersions(db, key);
  return versions.length ? getTemplateVersion(db, versions[0].id) : undefined;
}

/** The services in scope of any complete or closed audit of the template (for the filter). */
export async function listTrendServices(db: Db, key: string) {
  return db
    .selectFrom("audit_services")
    .innerJoin("audits", "audits.id", "audit_services.audit_id")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .innerJoin("services", "services.id", "audit_services.service_id")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["services.id", "services.name", "providers.name as providerName"])
    .distinct()
    .where("tv.key", "=", key)
    .where("audits.status", "in", FINISHED)
    .orderBy("services.name")
    .orderBy("providers.name")
    .orderBy("services.id")
    .execute();
}

/**
 * Every cycle of the template (optionally only the cases of one service, and only the audits
 * with that service in scope), with its overall and per-criterion figures, summed from the
 * audits' stored results rather than rescored from their answers.
 */
export async function listTrendCycles(db: Db, key: string, { serviceId = null }: { serviceId?: number | null } = {}): Promise<Cycle[]> {
  let query = db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["audits.id", "audits.title", "audits.status", "audits.results_at", "audits.period_start", "audits.period_end", "audits.template_version_id", "tv.version"])
    .where("tv.key", "=", key)
    .where("audits.status", "in", FINISHED);
  if (serviceId !== null) {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom("audit_services").select("audit_services.audit_id").whereRef("audit_services.audit_id", "=", "audits.id").where("audit_services.service_id", "=", serviceId)),
    );
  }
  const audits = await query.orderBy("audits.period_end").orderBy("audits.period_start").orderBy("audits.id").execute();
  await ensureStoredResults(db, audits.map((a) => ({ id: a.id, status: a.status, resultsAt: a.results_at })));
  const byAudit = new Map<number, Map<string, Counts>>();
  for (const row of await storedCriteria(db, audits.map((a) => a.id), { serviceId })) {
    const criteria = byAudit.get(row.auditId) ?? new Map<string, Counts>();
    byAudit.set(row.auditId, criteria);
    criteria.set(row.criterionId, addCounts(criteria.get(row.criterionId) ?? emptyCounts(), row));
  }
  const cycles: Cycle[] = [];
  for (const audit of audits) {
    const tv = await getTemplateVersion(db, audit.template_version_id);
    if (!tv) continue;
    const t = tv.template;
    const stored = byAudit.get(audit.id);
    const all = emptyCounts();
    const criteria = t.sections.flatMap((s) =>
      s.criteria.map((c) => {
        const counts = stored?.get(c.id) ?? emptyCounts();
        addCounts(all, counts);
        return { ...figureOf(counts, t.rag, t.partialCredit), criterionId: c.id, question: c.question };
      }),
    );
    cycles.push({
      auditId: audit.id,
      title: audit.title,
      periodStart: audit.period_start,
      periodEnd: audit.period_end,
      templateVersion: audit.version,
      overall: figureOf(all, t.rag, t.partialCredit),
      criteria,
    });
  }
  return cycles;
}

/** The trend page's data: the template, its cycles and the series; undefined for an unknown key. */
export async function templateTrends(db: Db, key: string, { serviceId = null }: { serviceId?: number | null } = {}) {
  const latest = await latestTemplateVersion(db, key);
  if (!latest) return undefined;
  const t = latest.template;
  const cycles = await listTrendCycles(db, key, { serviceId });
  const latestCriteria = t.sections.flatMap((s) => s.criteria.map((c) => ({ id: c.id, question: c.question })));
  return {
    template: { key: t.key, version: t.version, title: t.title, green: t.rag.green, amber: t.rag.amber },
    cycleCount: cycles.length,
    ...buildTrends(cycles, { target: t.rag.green, latestCriteria }),
  };
}
