import type { Criterion } from "~/schemas/template-types";

/** What counts as met, partially met and not met, and where the criterion comes from. */
export function CriterionGuidance({ c }: { c: Pick<Criterion, "guidance" | "sources"> }) {
  return (
    <>
      <p>
        <strong>Met:</strong> {c.guidance.met}
      </p>
      {c.guidance.partial && (
        <p>
          <strong>Partially met:</strong> {c.guidance.partial}
        </p>
      )}
      {c.guidance.notMet && (
        <p>
          <strong>Not met:</strong> {c.guidance.notMet}
        </p>
      )}
      <p className="nhsuk-body-s">
        Sources: {c.sources.map((s) => `${s.report} ${s.paragraph}${s.recommendation ? ` (${s.recommendation})` : ""}`).join("; ")}
      </p>
    </>
  );
}
