/**
 * Trends for a template: each complete or closed audit of any of its versions is one point
 * (ordered by period end), scored by the one scoring module as of its completion with its pinned
 * settings, then charted by app/lib/trend-series.ts (XmR, MDC rules and icons).
 */
import { buildTrends, type Cycle } from "~/lib/trend-series";
import { rollUp } from "~/lib/scoring";
import type { Db } from "~/utils/db.server";
import { listCasesForScoring } from "./cases.server";
import { auditAsOf } from "./results.server";
import { auditSettings } from "./settings.server";
import { getTemplateVersion, listTemplateVersions } from "./templates.server";

const TREND_STATUSES = ["complete", "closed"] as const;

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
    .where("audits.status", "in", TREND_STATUSES)
    .orderBy("services.name")
    .orderBy("providers.name")
    .orderBy("services.id")
    .execute();
}

/**
 * Every cycle of the template (optionally only the cases of one service, and only the audits
 * with that service in scope), with its overall and per-criterion figures.
 */
export async function listTrendCycles(db: Db, key: string, { serviceId = null }: { serviceId?: number | null } = {}): Promise<Cycle[]> {
  let query = db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["audits.id", "audits.title", "audits.period_start", "audits.period_end", "audits.completed_at", "audits.settings", "audits.template_version_id", "tv.version"])
    .where("tv.key", "=", key)
    .where("audits.status", "in", TREND_STATUSES);
  if (serviceId !== null) {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom("audit_services").select("audit_services.audit_id").whereRef("audit_services.audit_id", "=", "audits.id").where("audit_services.service_id", "=", serviceId)),
    );
  }
  const audits = await query.orderBy("audits.period_end").orderBy("audits.period_start").orderBy("audits.id").execute();
  const cycles: Cycle[] = [];
  for (const audit of audits) {
    const tv = await getTemplateVersion(db, audit.template_version_id);
    if (!tv) continue;
    const cases = (await listCasesForScoring(db, audit.id)).filter((c) => serviceId === null || c.serviceId === serviceId);
    const rollup = rollUp(tv.template, cases, auditAsOf(audit), auditSettings(audit));
    cycles.push({
      auditId: audit.id,
      title: audit.title,
      periodStart: audit.period_start,
      periodEnd: audit.period_end,
      templateVersion: audit.version,
      overall: rollup.overall,
      criteria: rollup.byCriterion,
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
