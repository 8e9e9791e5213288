/**
 * GET /api/v1/templates/:key/trends[?service=<id>]: compliance per completed audit cycle of the
 * template, overall and per criterion, each series with its points and XmR (SPC) result. Token with viewResults.
 */
import type { TrendSeries } from "~/lib/trend-series";
import { getServiceForApi } from "~/models/api.server";
import { templateTrends } from "~/models/trends.server";
import { apiError, apiLoader, apiMethodNotAllowed } from "~/utils/api.server";

function seriesJson(s: TrendSeries) {
  return {
    id: s.id,
    criterionId: s.criterionId,
    label: s.label,
    current: s.current,
    points: s.points.map((p) => ({
      auditId: p.auditId,
      title: p.title,
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      templateVersion: p.templateVersion,
      percent: p.percent,
      numerator: p.numerator,
      denominator: p.denominator,
      met: p.met,
      partial: p.partial,
      notMet: p.notMet,
      specialCause: p.specialCause,
      rules: p.rules,
      side: p.side,
      variation: p.variation,
    })),
    skipped: s.skipped,
    spc: {
      mean: s.mean,
      upperLimit: s.upperLimit,
      lowerLimit: s.lowerLimit,
      target: s.target,
      improvement: s.improvement,
      variation: s.variation,
      assurance: s.assurance,
      tooFewPoints: s.tooFewPoints,
      warning: s.warning,
    },
  };
}

export const loader = apiLoader("viewResults", async ({ db }, { request, params }) => {
  const key = params.key ?? "";
  const raw = new URL(request.url).searchParams.get("service");
  let service: Awaited<ReturnType<typeof getServiceForApi>> = undefined;
  if (raw !== null) {
    if (!/^[1-9]\d{0,9}$/.test(raw)) throw apiError(400, "service must be a service's id (a whole number), or left out for all services.");
    service = await getServiceForApi(db, Number(raw));
    if (!service) throw apiError(404, `There is no service ${raw}.`);
  }
  const trends = await templateTrends(db, key, { serviceId: service?.id ?? null });
  if (!trends) throw apiError(404, `There is no template ${key}.`);
  return {
    template: trends.template,
    service: service ? { id: service.id, name: service.name, provider: service.provider } : null,
    cycleCount: trends.cycleCount,
    overall: seriesJson(trends.overall),
    criteria: trends.criteria.map(seriesJson),
  };
});

export const action = apiMethodNotAllowed;
