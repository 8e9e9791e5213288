/**
 * A compliance figure on a page: percentage, 95% interval with the small-sample mark,
 * numerator / denominator, RAG in words and the counts. The results pages and the printable
 * report show figures with these, so they can never differ.
 */
import type { ReactNode } from "react";
import { RagTag } from "~/components/ui";
import { formatInterval, formatNumerator, type FigureWithConfidence } from "~/lib/rollup-figures";
import { formatPercent } from "~/lib/scoring";
import { SMALL_SAMPLE_THRESHOLD } from "~/lib/statistics";

type Fig = Pick<FigureWithConfidence, "percent" | "denominator" | "numerator" | "rag" | "met" | "partial" | "notMet" | "na" | "ciLow" | "ciHigh" | "smallSample" | "applicableCases">;

export function Percent({ f }: { f: Fig }) {
  return <>{formatPercent(f.percent)}</>;
}

/** The "Small sample" mark, in words (fewer than 10 applicable cases); nothing when nothing applies. */
export function SmallSampleTag({ f }: { f: Fig }) {
  if (f.denominator === 0 || !f.smallSample) return null;
  return (
    <strong className="nhsuk-tag nhsuk-tag--orange app-small-sample" data-testid="small-sample">
      Small sample<span className="nhsuk-u-visually-hidden">: {f.applicableCases === 1 ? "1 applicable case" : `${f.applicableCases} applicable cases`}, fewer than {SMALL_SAMPLE_THRESHOLD}</span>
    </strong>
  );
}

/** "95% CI 61.2% to 84.0%" and the small-sample mark. */
export function IntervalCell({ f }: { f: Fig }) {
  return (
    <td className="nhsuk-table__cell">
      {f.denominator === 0 ? (
        "Not applicable"
      ) : (
        <>
          {formatInterval(f)} <SmallSampleTag f={f} />
        </>
      )}
    </td>
  );
}

export function FigureCells({ f }: { f: Fig }) {
  return (
    <>
      <td className="nhsuk-table__cell app-table-numeric">
        <Percent f={f} />
      </td>
      <IntervalCell f={f} />
      <td className="nhsuk-table__cell app-table-numeric">
        {`${formatNumerator(f.numerator)} / ${f.denominator}`}
      </td>
      <td className="nhsuk-table__cell">
        <RagTag rag={f.rag} />
      </td>
      <td className="nhsuk-table__cell app-table-numeric">{f.met}</td>
      <td className="nhsuk-table__cell app-table-numeric">{f.partial}</td>
      <td className="nhsuk-table__cell app-table-numeric">{f.notMet}</td>
      <td className="nhsuk-table__cell app-table-numeric">{f.na}</td>
    </>
  );
}

export function FigureTable({
  caption,
  firstHeader,
  rows,
  className = "nhsuk-table-responsive nhsuk-table",
  captionClassName = "nhsuk-table__caption",
}: {
  caption: string;
  firstHeader: string;
  rows: { key: string; label: ReactNode; f: Fig }[];
  className?: string;
  captionClassName?: string;
}) {
  return (
    <table className={className}>
      <caption className={captionClassName}>{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">{firstHeader}</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Compliance</th>
          <th scope="col" className="nhsuk-table__header">95% confidence interval</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Numerator / denominator</th>
          <th scope="col" className="nhsuk-table__header">RAG</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Met</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Partially met</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Not met</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Not applicable</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((r) => (
          <tr className="nhsuk-table__row" key={r.key} data-row={r.key}>
            <th scope="row" className="nhsuk-table__cell">
              {r.label}
            </th>
            <FigureCells f={r.f} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}


type RankedFig = Fig & { criterionId: string; question: string; belowGreen: number };

function RankedTable({ rows, green, caption, first, testId }: { rows: RankedFig[]; green: number; caption: string; first: number; testId: string }) {
  return (
    <table className="nhsuk-table-responsive nhsuk-table" data-testid={testId}>
      <caption className="nhsuk-table__caption">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header app-table-numeric">Rank</th>
          <th scope="col" className="nhsuk-table__header">Criterion</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Compliance</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Below green ({green}%)</th>
          <th scope="col" className="nhsuk-table__header">95% confidence interval</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Numerator / denominator</th>
          <th scope="col" className="nhsuk-table__header">RAG</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Met</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Partially met</th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">Not met</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((c, i) => (
          <tr className="nhsuk-table__row" key={c.criterionId} data-row={`worst-${c.criterionId}`}>
            <td className="nhsuk-table__cell app-table-numeric">{first + i}</td>
            <th scope="row" className="nhsuk-table__cell">
              {c.question}
            </th>
            <td className="nhsuk-table__cell app-table-numeric">
              <Percent f={c} />
            </td>
            <td className="nhsuk-table__cell app-table-numeric">{c.belowGreen > 0 ? `${c.belowGreen.toFixed(1)} points` : "At or above"}</td>
            <IntervalCell f={c} />
            <td className="nhsuk-table__cell app-table-numeric">{`${formatNumerator(c.numerator)} / ${c.denominator}`}</td>
            <td className="nhsuk-table__cell">
              <RagTag rag={c.rag} />
            </td>
            <td className="nhsuk-table__cell app-table-numeric">{c.met}</td>
            <td className="nhsuk-table__cell app-table-numeric">{c.partial}</td>
            <td className="nhsuk-table__cell app-table-numeric">{c.notMet}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Criteria ranked by how far below the green threshold they are, worst first: those below green
 * in the table, the rest (at or above green) folded away beneath it, still in rank order.
 */
export function WorstTable({ rows, green, caption = "Worst criteria first" }: { rows: RankedFig[]; green: number; caption?: string }) {
  if (rows.length === 0) return null;
  const below = rows.filter((r) => r.belowGreen > 0);
  const rest = rows.slice(below.length);
  return (
    <>
      {below.length > 0 ? (
        <RankedTable rows={below} green={green} caption={caption} first={1} testId="worst-criteria" />
      ) : (
        <p data-testid="worst-criteria">
          {caption}: every criterion with applicable cases is at or above green ({green}%).
        </p>
      )}
      {rest.length > 0 && (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {rest.length === 1 ? "The 1 criterion" : `The ${rest.length} criteria`} at or above green ({green}%)
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <RankedTable rows={rest} green={green} caption="At or above green, in rank order" first={below.length + 1} testId="criteria-at-or-above-green" />
          </div>
        </details>
      )}
    </>
  );
}
