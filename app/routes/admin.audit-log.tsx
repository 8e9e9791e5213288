import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/ui";
import { formatDateTimeLondon } from "~/lib/dates";
import { listAuditActions, listAuditLog } from "~/models/audit-log.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Audit log – Safeguarding case-file audit" }];

const ACTION_LABELS: Record<string, string> = {
  create: "Created",
  update: "Changed",
  rename: "Renamed",
  delete: "Deleted",
  "change-role": "Role changed",
  disable: "Account disabled",
  enable: "Account enabled",
  "reset-password": "New password set",
  "sign-in": "Signed in",
  "sign-in-failed": "Sign-in failed",
  "sign-out": "Signed out",
  "sign-out-everywhere": "Signed out everywhere",
  import: "Case list imported",
  "draw-sample": "Sample drawn",
  "redraw-sample": "Sample drawn again",
  "add-to-sample": "Added to the sample",
  "exclude-from-sample": "Excluded from the sample",
  "assign-cases": "Cases assigned",
  complete: "Marked as complete",
  reopen: "Reopened",
  close: "Closed",
  "schedule-reaudit": "Re-audit scheduled",
  review_change: "Answer changed by a reviewer",
  moderate: "Moderated",
  settle: "Disagreement settled",
  select: "Chosen for moderation",
  draw: "Drawn for moderation",
  view: "Case record viewed",
  "access-denied": "Access refused",
  export: "Downloaded",
  "import-results": "Historical results imported",
  "demo-data-load": "Demonstration data loaded",
  "demo-data-remove": "Demonstration data removed",
  "sign-in-throttled": "Sign-in refused (too many attempts)",
  api: "API request",
  revoke: "Revoked",
};

const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;

/** Where an entry's subject can be seen, when there is a page for it. */
function entityHref(entity: string, id: string | null): string | null {
  if (!id || !/^\d+$/.test(id)) return null;
  switch (entity) {
    case "user":
      return `/admin/users/${id}`;
    case "provider":
      return `/admin/providers/${id}`;
    case "service":
      return `/admin/services/${id}`;
    case "audit":
      return `/audits/${id}`;
    default:
      return null;
  }
}

const MAX_VALUE = 160;

function valueText(v: unknown): string {
  const text = v === null || v === undefined ? "none" : typeof v === "string" ? v : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function parseSnapshot(json: string | null): Record<string, unknown> | string | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : valueText(v);
  } catch {
    return valueText(json);
  }
}

/** A snapshot as one line of `key: value` pairs. */
function compact(snapshot: Record<string, unknown> | string | null): string | null {
  if (snapshot === null) return null;
  if (typeof snapshot === "string") return snapshot;
  return Object.entries(snapshot)
    .map(([k, v]) => `${k}: ${valueText(v)}`)
    .join("; ");
}

/** The fields that differ between before and after, as "field: old → new". */
function changes(before: ReturnType<typeof parseSnapshot>, after: ReturnType<typeof parseSnapshot>): string[] {
  if (!before || !after || typeof before === "string" || typeof after === "string") return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== "updated_at");
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}: ${valueText(before[k])} → ${valueText(after[k])}`);
}

function positiveInt(value: string | null): number | undefined {
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "readAuditLog");
  const search = new URL(request.url).searchParams;
  const filter = {
    action: search.get("action")?.trim() || undefined,
    entity: search.get("entity")?.trim() || undefined,
    userId: positiveInt(search.get("user")),
  };
  const [log, actions] = await Promise.all([listAuditLog(db, { ...filter, page: positiveInt(search.get("page")) ?? 1 }), listAuditActions(db)]);
  return {
    filter: { action: filter.action ?? "", entity: filter.entity ?? "", user: filter.userId ? String(filter.userId) : "" },
    actions: actions.map((a) => ({ value: a, label: actionLabel(a) })),
    total: log.total,
    page: log.page,
    pages: log.pages,
    first: log.total === 0 ? 0 : (log.page - 1) * log.pageSize + 1,
    last: (log.page - 1) * log.pageSize + log.rows.length,
    entries: log.rows.map((r) => {
      const before = parseSnapshot(r.before);
      const after = parseSnapshot(r.after);
      return {
        id: r.id,
        at: r.at,
        atLocal: formatDateTimeLondon(r.at),
        actor: r.actor ?? "Unknown",
        action: actionLabel(r.action),
        entity: r.entity,
        entityId: r.entity_id,
        href: entityHref(r.entity, r.entity_id),
        changes: changes(before, after),
        before: compact(before),
        after: compact(after),
        ip: r.ip,
      };
    }),
  };
}

type Data = Awaited<ReturnType<typeof loader>>;

function pageHref(filter: Data["filter"], page: number) {
  const params = new URLSearchParams();
  if (filter.action) params.set("action", filter.action);
  if (filter.entity) params.set("entity", filter.entity);
  if (filter.user) params.set("user", filter.user);
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return `/admin/audit-log${qs ? `?${qs}` : ""}`;
}

function Pagination({ filter, page, pages }: { filter: Data["filter"]; page: number; pages: number }) {
  if (pages <= 1) return null;
  return (
    <nav className="nhsuk-pagination" role="navigation" aria-label="Pagination">
      <ul className="nhsuk-list nhsuk-pagination__list">
        {page > 1 && (
          <li className="nhsuk-pagination-item--previous">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={pageHref(filter, page - 1)} rel="prev">
              <span className="nhsuk-pagination__title">
                Previous<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page - 1} of {pages}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z" />
              </svg>
            </Link>
          </li>
        )}
        {page < pages && (
          <li className="nhsuk-pagination-item--next">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={pageHref(filter, page + 1)} rel="next">
              <span className="nhsuk-pagination__title">
                Next<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page + 1} of {pages}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z" />
              </svg>
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}

export default function AuditLog() {
  const { filter, actions, entries, total, page, pages, first, last } = useLoaderData<typeof loader>();
  const filtered = Boolean(filter.action || filter.entity || filter.user);
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      <h1>Audit log</h1>
      <p>Every sign-in and every change to users, the organisation, audits and cases, newest first. Times are UK time, with the exact time in UTC below.</p>

      <Form method="get" action="/admin/audit-log">
        {filter.entity && <input type="hidden" name="entity" value={filter.entity} />}
        {filter.user && <input type="hidden" name="user" value={filter.user} />}
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="action">
            Show
          </label>
          <select className="nhsuk-select" id="action" name="action" defaultValue={filter.action} key={filter.action}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
          Apply filter
        </button>
        {filtered && (
          <p>
            <Link to="/admin/audit-log">Clear filter</Link>
          </p>
        )}
      </Form>

      {total === 0 ? (
        <p>{filtered ? "No entries match this filter." : "There are no entries yet."}</p>
      ) : (
        <>
          <p role="status">
            Showing {first} to {last} of {total} {total === 1 ? "entry" : "entries"}
          </p>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Audit log entries, newest first, page {page} of {pages}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">When</th>
                <th scope="col" className="nhsuk-table__header">Who</th>
                <th scope="col" className="nhsuk-table__header">Action</th>
                <th scope="col" className="nhsuk-table__header">What</th>
                <th scope="col" className="nhsuk-table__header">Details</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {entries.map((e) => (
                <tr className="nhsuk-table__row" key={e.id}>
                  <td className="nhsuk-table__cell">
                    <time dateTime={e.at}>{e.atLocal}</time>
                    <br />
                    <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">{e.at}</span>
                  </td>
                  <td className="nhsuk-table__cell">{e.actor}</td>
                  <td className="nhsuk-table__cell">{e.action}</td>
                  <td className="nhsuk-table__cell">
                    {e.href ? <Link to={e.href}>{`${e.entity} ${e.entityId}`}</Link> : e.entityId ? `${e.entity} ${e.entityId}` : e.entity}
                  </td>
                  <td className="nhsuk-table__cell">
                    {e.changes.length > 0 && (
                      <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-2">
                        {e.changes.map((c) => (
                          <li key={c}>{c}</li>
                        ))}
                      </ul>
                    )}
                    {e.before || e.after || e.ip ? (
                      <details className="nhsuk-details nhsuk-u-margin-bottom-0">
                        <summary className="nhsuk-details__summary">
                          <span className="nhsuk-details__summary-text">
                            Record<span className="nhsuk-u-visually-hidden"> of entry {e.id}</span>
                          </span>
                        </summary>
                        <div className="nhsuk-details__text nhsuk-body-s">
                          {e.before && (
                            <p className="nhsuk-body-s nhsuk-u-text-break-word">
                              <strong>Before:</strong> {e.before}
                            </p>
                          )}
                          {e.after && (
                            <p className="nhsuk-body-s nhsuk-u-text-break-word">
                              <strong>After:</strong> {e.after}
                            </p>
                          )}
                          {e.ip && <p className="nhsuk-body-s">IP address: {e.ip}</p>}
                        </div>
                      </details>
                    ) : (
                      e.changes.length === 0 && "None"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination filter={filter} page={page} pages={pages} />
        </>
      )}
    </>
  );
}
