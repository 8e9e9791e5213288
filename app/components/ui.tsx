/** Small NHS.UK presentational pieces shared by pages. */
import type { AuditStatus } from "../../db/schema";
import { AUDIT_STATUS_LABELS } from "~/lib/audit-status";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export type RagValue = "green" | "amber" | "red" | null;

const RAG_TEXT = { green: "Green", amber: "Amber", red: "Red" } as const;

/** RAG as a tag with words, never colour alone. */
export function RagTag({ rag }: { rag: RagValue }) {
  if (!rag) return <strong className="nhsuk-tag app-tag--grey">No applicable cases</strong>;
  return <strong className={`nhsuk-tag app-tag--${rag}`}>{RAG_TEXT[rag]}</strong>;
}

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link className="nhsuk-back-link" to={to}>
      {children}
    </Link>
  );
}

/** A case's details as summary list rows: service, team, case type and the template's case fields (already formatted). */
export function caseDetailRows(c: { service: string; team: string | null; caseType: string; fields: { label: string; value: ReactNode }[] }) {
  return [
    { key: "Service", value: c.service },
    { key: "Team", value: c.team ?? "None" },
    { key: "Case type", value: c.caseType },
    ...c.fields.map((f) => ({ key: f.label, value: f.value })),
  ];
}

export function SummaryList({ rows }: { rows: { key: ReactNode; value: ReactNode; action?: ReactNode }[] }) {
  return (
    <dl className="nhsuk-summary-list">
      {rows.map((r, i) => (
        <div className="nhsuk-summary-list__row" key={i}>
          <dt className="nhsuk-summary-list__key">{r.key}</dt>
          <dd className="nhsuk-summary-list__value">{r.value}</dd>
          {r.action !== undefined && <dd className="nhsuk-summary-list__actions">{r.action}</dd>}
        </div>
      ))}
    </dl>
  );
}

const STATUS_CLASS: Record<AuditStatus, string> = { draft: "nhsuk-tag--grey", in_progress: "nhsuk-tag--blue", complete: "nhsuk-tag--green", closed: "nhsuk-tag--white" };

export function AuditStatusTag({ status }: { status: AuditStatus }) {
  return <strong className={`nhsuk-tag ${STATUS_CLASS[status]}`}>{AUDIT_STATUS_LABELS[status]}</strong>;
}

export function Banner({ children, title = "Success" }: { children: ReactNode; title?: string }) {
  return (
    <div className="nhsuk-inset-text" role="status">
      <span className="nhsuk-u-visually-hidden">{title}: </span>
      {children}
    </div>
  );
}
