/** An IHA's timeliness as a tag with words (never colour alone), the working days and the due date. */
import { formatDate } from "~/lib/dates";

export type IhaTimelinessView = {
  status: "on_time" | "overdue" | "not_yet_due" | "undetermined";
  workingDays: number | null;
  dueDate: string | null;
};

const TAGS = {
  overdue: { className: "app-tag--red", text: "Overdue" },
  on_time: { className: "app-tag--green", text: "On time" },
  not_yet_due: { className: "app-tag--grey", text: "Not yet due" },
  undetermined: { className: "app-tag--grey", text: "Cannot be determined" },
} as const;

export function IhaTimelinessTag({ t }: { t: IhaTimelinessView }) {
  const tag = TAGS[t.status];
  const days = t.workingDays === null ? null : `${t.workingDays} working ${t.workingDays === 1 ? "day" : "days"}`;
  const due = t.dueDate ? `due by ${formatDate(t.dueDate)}` : null;
  const text = [days, due].filter(Boolean).join(", ");
  return (
    <>
      <strong className={`nhsuk-tag ${tag.className}`}>{tag.text}</strong>
      {text ? ` ${text}` : ""}
    </>
  );
}
