/** Read models for the JSON API (/api/v1): shapes for Power BI and Excel, built from the same queries as the pages. */
import type { Db } from "~/utils/db.server";
import { listAudits } from "./audits.server";

export type ApiAudit = {
  id: number;
  title: string;
  status: string;
  periodStart: string;
  periodEnd: string;
  completedAt: string | null;
  template: { key: string; version: number; title: string };
  services: { id: number; name: string; provider: string }[];
  /** Cases to score: in the sample and not excluded. */
  caseCount: number;
};

/** Every audit, newest first, with its template version, services in scope and case count. */
export async function listAuditsForApi(db: Db): Promise<ApiAudit[]> {
  const audits = await listAudits(db);
  if (audits.length === 0) return [];
  const ids = audits.map((a) => a.id);
  const extra = await db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["audits.id", "audits.completed_at", "tv.key"])
    .where("audits.id", "in", ids)
    .execute();
  const byId = new Map(extra.map((e) => [e.id, e]));
  const services = await db
    .selectFrom("audit_services")
    .innerJoin("services", "services.id", "audit_services.service_id")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["audit_services.audit_id", "services.id", "services.name", "providers.name as provider"])
    .where("audit_services.audit_id", "in", ids)
    .orderBy("services.name")
    .orderBy("services.id")
    .execute();
  const servicesOf = new Map<number, ApiAudit["services"]>();
  for (const s of services) {
    const list = servicesOf.get(s.audit_id) ?? [];
    list.push({ id: s.id, name: s.name, provider: s.provider });
    servicesOf.set(s.audit_id, list);
  }
  return audits.map((a) => ({
    id: a.id,
    title: a.title,
    status: a.status,
    periodStart: a.period_start,
    periodEnd: a.period_end,
    completedAt: byId.get(a.id)?.completed_at ?? null,
    template: { key: byId.get(a.id)?.key ?? "", version: a.template_version, title: a.template_title },
    services: servicesOf.get(a.id) ?? [],
    caseCount: Number(a.case_count ?? 0),
  }));
}

export async function getServiceForApi(db: Db, serviceId: number) {
  return db
    .selectFrom("services")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["services.id", "services.name", "providers.name as provider"])
    .where("services.id", "=", serviceId)
    .executeTakeFirst();
}
