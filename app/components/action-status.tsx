/** An action's status as a tag with words, and "Overdue" beside it when it is. */
import { actionStatusLabel } from "~/lib/actions";

export function ActionStatusTags({ status, overdue }: { status: string; overdue: boolean }) {
  const tag = status === "done" ? "nhsuk-tag--green" : status === "in_progress" ? "nhsuk-tag--blue" : "nhsuk-tag--grey";
  return (
    <>
      <strong className={`nhsuk-tag ${tag}`}>{actionStatusLabel(status)}</strong>
      {overdue && (
        <>
          {" "}
          <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
        </>
      )}
    </>
  );
}
