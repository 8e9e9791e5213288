/** Trends for a template: compliance per completed audit cycle, overall and per criterion, as SPC (XmR) charts; filter by service (GET). */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AssuranceIcon, SpcChart, VariationIcon } from "~/components/spc-chart";
import { BackLink } from "~/components/ui";
import type { TrendSeries } from "~/lib/trend-series";
import { listTrendServices, templateTrends } from "~/models/trends.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Trends: ${d?.template.title ?? "Template"} – Safeguarding case-file audit` }];

const POSITIVE_ID = /^[1-9]\d{0,9}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewResults");
  const key = params.key ?? "";
  const services = await listTrendServices(db, key);
  const raw = new URL(request.url).searchParams.get("service") ?? "";
  const service = raw && POSITIVE_ID.test(raw) ? services.find((s) => s.id === Number(raw)) : undefined;
  const bad = raw !== "" && !service;
  const trends = await templateTrends(db, key, { serviceId: bad ? null : (service?.id ?? null) });
  if (!trends) throw new Response("This template does not exist.", { status: 404, statusText: "Not Found" });
  const body = {
    ...trends,
    services: services.map((s) => ({ id: s.id, label: `${s.name} (${s.providerName})` })),
    service: service ? { id: service.id, name: service.name } : null,
    selected: raw,
    errors: bad ? { service: "Select a service from the list" } : {},
  };
  return bad ? data({ ...body, overall: null, criteria: [] as TrendSeries[] }, { status: 400 }) : body;
}

function SeriesSection({ series, id, heading }: { series: TrendSeries; id: string; heading: "h2" | "h3" }) {
  const H = heading;
  const Label = heading === "h2" ? "h3" : "h4";
  return (
    <section className="nhsuk-u-margin-bottom-7" id={id} aria-labelledby={`${id}-heading`}>
      <H id={`${id}-heading`}>{series.label}</H>
      {!series.current && <p className="nhsuk-body-s">This criterion is no longer in the latest version of the template; its line ends where it was last audited.</p>}
      {series.points.length > 0 && (
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Variation</dt>
            <dd className="nhsuk-summary-list__value" data-variation={series.variation}>
              <VariationIcon variation={series.variation} />
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Assurance against the {series.target}% target</dt>
            <dd className="nhsuk-summary-list__value" data-assurance={series.assurance ?? "none"}>
              <AssuranceIcon assurance={series.assurance} />
            </dd>
          </div>
        </dl>
      )}
      {series.warning && (
        <div className="nhsuk-warning-callout">
          <Label className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Too few points
            </span>
          </Label>
          <p>
            {series.warning} ({series.points.length} so far). Treat any signal with caution.
          </p>
        </div>
      )}
      <SpcChart series={series} id={id} />
    </section>
  );
}

export default function TemplateTrends() {
  const d = useLoaderData<typeof loader>();
  const error = (d.errors as { service?: string }).service;
  return (
    <>
      <BackLink to={`/templates/${d.template.key}/${d.template.version}`}>Back to the template</BackLink>
      <span className="nhsuk-caption-l">Trends</span>
      <h1>{d.template.title}</h1>
      <p>
        Each complete or closed audit of this template is one point, in order of the end of its audit period. Criteria keep their line across template versions; a new criterion
        starts its own. Charts follow NHS England&apos;s &ldquo;Making Data Count&rdquo;: the mean, process limits (mean ± 2.66 × the mean moving range) and special cause
        variation (a point outside the limits, a run of 7 on one side of the mean, 7 rising or falling, or two of three close to a limit). The target is the template&apos;s green
        threshold, {d.template.green}%.
      </p>

      {error && (
        <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              <li>
                <a href="#service">{error}</a>
              </li>
            </ul>
          </div>
        </div>
      )}

      {d.services.length > 0 && (
        <form method="get" key={d.selected} className="nhsuk-u-margin-bottom-6">
          <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
            <label className="nhsuk-label" htmlFor="service">
              Service
            </label>
            {error && (
              <span className="nhsuk-error-message" id="service-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {error}
              </span>
            )}
            <select className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`} id="service" name="service" defaultValue={d.service ? String(d.service.id) : ""} aria-describedby={error ? "service-error" : undefined}>
              <option value="">All services</option>
              {d.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show trends
          </button>
          {d.selected && (
            <Link to={`/templates/${d.template.key}/trends`} className="nhsuk-u-margin-left-3">
              Show all services
            </Link>
          )}
        </form>
      )}

      {d.overall &&
        (d.cycleCount === 0 ? (
          <p>No complete audit of this template{d.service ? ` with ${d.service.name} in scope` : ""} yet. Trends appear once audits are marked complete.</p>
        ) : (
          <>
            <p>
              {d.cycleCount} audit {d.cycleCount === 1 ? "cycle" : "cycles"}
              {d.service ? `, ${d.service.name} only` : ", all services"}.
            </p>
            <SeriesSection series={d.overall} id="overall" heading="h2" />
            <h2>By criterion</h2>
            {d.criteria.map((s) => (
              <SeriesSection key={s.id} series={s} id={`criterion-${s.id}`} heading="h3" />
            ))}
          </>
        ))}
    </>
  );
}
