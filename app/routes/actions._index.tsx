/** Every action across all audits, filtered by owner, service, status and overdue (GET), with exports. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActionsTable } from "~/components/action-status";
import { ACTION_STATUS_LABELS, ACTION_STATUSES, filtersToSearch, parseActionFilters } from "~/lib/actions";
import { todayInLondon } from "~/lib/dates";
import { listActions, listOwnerRoles, listPossibleOwners } from "~/models/actions.server";
import { listServicesForScope } from "~/models/audits.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Action plans – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewResults");
  const today = todayInLondon();
  const filters = parseActionFilters(new URL(request.url).searchParams);
  const search = filtersToSearch(filters);
  const owners = await listPossibleOwners(db);
  const roles = await listOwnerRoles(db);
  return {
    today,
    actions: await listActions(db, filters, today),
    filters: {
      owner: search.get("owner") ?? "",
      service: search.get("service") ?? "",
      status: search.get("status") ?? "",
      overdue: filters.overdue === true,
    },
    query: search.toString(),
    ownerOptions: [...owners.map((u) => ({ value: `u${u.id}`, label: u.name })), ...roles.map((r) => ({ value: `r:${r}`, label: r }))],
    serviceOptions: (await listServicesForScope(db)).map((s) => ({ value: String(s.id), label: `${s.name} (${s.provider_name})` })),
  };
}

function FilterSelect({ id, label, value, options, any }: { id: string; label: string; value: string; options: { value: string; label: string }[]; any: string }) {
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <select className="nhsuk-select" id={id} name={id} defaultValue={value}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function ActionsPage() {
  const { actions, filters, query, ownerOptions, serviceOptions } = useLoaderData<typeof loader>();
  const exportHref = (format: "csv" | "xlsx") => `/actions/export?${new URLSearchParams([["format", format], ...new URLSearchParams(query)]).toString()}`;
  const overdue = actions.filter((a) => a.overdue).length;
  return (
    <>
      <h1>Action plans</h1>
      <p>Actions from every audit. Overdue means not done and past its due date.</p>
      {/* Remounted when the filters change, so the boxes show what is applied. */}
      <Form method="get" key={query} className="nhsuk-u-margin-bottom-5">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Filter actions</legend>
          <FilterSelect id="owner" label="Owner" value={filters.owner} options={ownerOptions} any="Anyone" />
          <FilterSelect id="service" label="Service" value={filters.service} options={serviceOptions} any="Any service" />
          <FilterSelect id="status" label="Status" value={filters.status} options={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))} any="Any status" />
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <div className="nhsuk-checkboxes__item">
                <input className="nhsuk-checkboxes__input" id="overdue" name="overdue" type="checkbox" value="yes" defaultChecked={filters.overdue} />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="overdue">
                  Only overdue actions
                </label>
              </div>
            </div>
          </div>
        </fieldset>
        <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
          Apply filters
        </button>{" "}
        {query && (
          <Link to="/actions" className="nhsuk-u-margin-left-3">
            Clear filters
          </Link>
        )}
      </Form>
      <p>
        {actions.length} {actions.length === 1 ? "action" : "actions"}
        {overdue > 0 ? `, ${overdue} overdue` : ""}. Download {query ? "these actions" : "all actions"}: <a href={exportHref("csv")}>CSV</a> or <a href={exportHref("xlsx")}>Excel (XLSX)</a>.
      </p>
      {actions.length === 0 ? (
        <p>No actions match.</p>
      ) : (
        <ActionsTable caption="Actions" captionHidden actions={actions} columns={{ audit: true, criterion: true, owner: true, services: true }} />
      )}
    </>
  );
}
