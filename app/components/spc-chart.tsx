/**
 * A server-rendered SVG XmR chart ("Making Data Count" style) with a data table as its text
 * alternative, and the variation and assurance icons. No JavaScript: it appears in print too.
 *
 * Special-cause points are coloured as the variation icons (blue improvement, orange concern,
 * purple neither) and also drawn in a different shape (square, diamond, triangle; common cause
 * is a small circle), so colour is never the only cue.
 */
import { ASSURANCE_ICONS, VARIATION_ICONS, type Assurance, type Variation } from "~/lib/spc";
import { formatDateShort } from "~/lib/dates";
import { formatPercent } from "~/lib/scoring";
import { describeRules, summariseSeries, yAxis, type TrendSeries } from "~/lib/trend-series";

const W = 720;
const H = 340;
const M = { top: 16, right: 24, bottom: 88, left: 64 };
const INK = "#212b32";
const LINE = "#768692";
const TARGET = "#d5281b";

type Shape = "circle" | "square" | "diamond" | "triangle";

function shapeFor(variation: Variation): Shape {
  if (variation === "common") return "circle";
  if (variation.startsWith("improvement")) return "square";
  if (variation.startsWith("concern")) return "diamond";
  return "triangle";
}

const SHAPE_NAMES: Record<Shape, string> = { circle: "circle", square: "square", diamond: "diamond", triangle: "triangle" };

function Marker({ x, y, variation, title }: { x: number; y: number; variation: Variation; title?: string }) {
  const shape = shapeFor(variation);
  const fill = VARIATION_ICONS[variation].colour;
  const common = { fill, stroke: INK, strokeWidth: 1, "data-variation": variation, "data-shape": shape };
  const t = title ? <title>{title}</title> : null;
  if (shape === "circle") {
    return (
      <circle cx={x} cy={y} r={4.5} {...common}>
        {t}
      </circle>
    );
  }
  if (shape === "square") {
    return (
      <rect x={x - 6} y={y - 6} width={12} height={12} {...common}>
        {t}
      </rect>
    );
  }
  const pts = shape === "diamond" ? [[x, y - 8], [x + 8, y], [x, y + 8], [x - 8, y]] : [[x, y - 8], [x + 7.5, y + 6], [x - 7.5, y + 6]];
  return (
    <polygon points={pts.map((p) => p.join(",")).join(" ")} {...common}>
      {t}
    </polygon>
  );
}

/** A round MDC-style icon: a coloured disc with its letter (H, L, P, F, ?) and a text label beside it. */
function Icon({ colour, letter, label }: { colour: string; letter: string | null; label: string }) {
  return (
    <span className="app-spc-icon" style={{ display: "inline-flex", alignItems: "center", gap: "0.5em" }}>
      <svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true" focusable="false">
        <circle cx="14" cy="14" r="12" fill="#ffffff" stroke={colour} strokeWidth="3" />
        {letter ? (
          <text x="14" y="19" textAnchor="middle" fontSize="14" fontWeight="bold" fill={colour === "#a6a6a6" ? INK : colour}>
            {letter}
          </text>
        ) : (
          <circle cx="14" cy="14" r="5" fill={colour} />
        )}
      </svg>
      <span>{label}</span>
    </span>
  );
}

export function VariationIcon({ variation }: { variation: Variation }) {
  const v = VARIATION_ICONS[variation];
  return <Icon colour={v.colour} letter={v.letter} label={v.label} />;
}

export function AssuranceIcon({ assurance }: { assurance: Assurance | null }) {
  if (!assurance) return <span>No assurance icon: too few points to set process limits</span>;
  const a = ASSURANCE_ICONS[assurance];
  return <Icon colour={a.colour} letter={a.letter} label={a.label} />;
}

function Legend({ series }: { series: TrendSeries }) {
  const used = [...new Set(series.points.map((p) => p.variation))];
  const swatch = (child: JSX.Element) => (
    <svg width="32" height="20" viewBox="0 0 32 20" aria-hidden="true" focusable="false" style={{ verticalAlign: "middle", marginRight: "0.5em" }}>
      {child}
    </svg>
  );
  return (
    <ul className="nhsuk-list nhsuk-body-s" aria-label="Chart key">
      {used.map((v) => (
        <li key={v}>
          {swatch(<Marker x={16} y={10} variation={v} />)}
          {v === "common" ? "Circle: common cause point" : `${SHAPE_NAMES[shapeFor(v)][0].toUpperCase()}${SHAPE_NAMES[shapeFor(v)].slice(1)}: ${VARIATION_ICONS[v].label.toLowerCase()}`}
        </li>
      ))}
      {series.mean !== null && (
        <li>
          {swatch(<line x1="0" y1="10" x2="32" y2="10" stroke={INK} strokeWidth="2" />)}
          Solid line: mean
        </li>
      )}
      {series.upperLimit !== null && (
        <li>
          {swatch(<line x1="0" y1="10" x2="32" y2="10" stroke={LINE} strokeWidth="2" strokeDasharray="6 4" />)}
          Grey dashed lines: upper and lower process limits
        </li>
      )}
      {series.target !== null && (
        <li>
          {swatch(<line x1="0" y1="10" x2="32" y2="10" stroke={TARGET} strokeWidth="2" strokeDasharray="2 3" />)}
          Red dotted line: target ({series.target}%)
        </li>
      )}
    </ul>
  );
}

/** The XmR chart for one series, with its key and data table. `id` must be unique on the page. */
export function SpcChart({ series, id }: { series: TrendSeries; id: string }) {
  const summary = summariseSeries(series);
  const { points } = series;
  const axis = yAxis([...points.map((p) => p.percent), series.mean, series.upperLimit, series.lowerLimit, series.target]);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => M.top + plotH - ((v - axis.min) / (axis.max - axis.min)) * plotH;
  const within = (v: number | null): v is number => v !== null && v >= axis.min && v <= axis.max;
  const hLine = (v: number, stroke: string, dash: string | undefined, name: string) => (
    <line data-line={name} x1={M.left} x2={M.left + plotW} y1={y(v)} y2={y(v)} stroke={stroke} strokeWidth={2} strokeDasharray={dash} />
  );

  return (
    <figure className="app-spc-chart nhsuk-u-margin-bottom-5" style={{ margin: 0 }}>
      {points.length > 0 && (
        <svg
          role="img"
          aria-label={summary}
          viewBox={`0 0 ${W} ${H}`}
          width="100%"
          style={{ maxWidth: `${W}px`, height: "auto", display: "block" }}
          xmlns="http://www.w3.org/2000/svg"
          id={`${id}-chart`}
        >
          <title>{summary}</title>
          <rect x={M.left} y={M.top} width={plotW} height={plotH} fill="#ffffff" stroke="#d8dde0" />
          {axis.ticks.map((t) => (
            <g key={t}>
              <line x1={M.left - 5} x2={M.left + plotW} y1={y(t)} y2={y(t)} stroke="#e8edee" />
              <text x={M.left - 8} y={y(t) + 4} textAnchor="end" fontSize="12" fill={INK}>
                {t}%
              </text>
            </g>
          ))}
          <text x={16} y={M.top + plotH / 2} textAnchor="middle" fontSize="13" fill={INK} transform={`rotate(-90 16 ${M.top + plotH / 2})`}>
            Compliance (%)
          </text>
          <text x={M.left + plotW / 2} y={H - 6} textAnchor="middle" fontSize="13" fill={INK}>
            Audit cycle (end of audit period)
          </text>
          {points.map((p, i) => (
            <text key={p.auditId} x={x(i)} y={M.top + plotH + 14} textAnchor="end" fontSize="11" fill={INK} transform={`rotate(-40 ${x(i)} ${M.top + plotH + 14})`}>
              {formatDateShort(p.periodEnd)}
            </text>
          ))}
          {within(series.upperLimit) && hLine(series.upperLimit, LINE, "6 4", "upper-limit")}
          {within(series.lowerLimit) && hLine(series.lowerLimit, LINE, "6 4", "lower-limit")}
          {within(series.target) && hLine(series.target, TARGET, "2 3", "target")}
          {series.mean !== null && hLine(series.mean, INK, undefined, "mean")}
          <polyline points={points.map((p, i) => `${x(i)},${y(p.percent)}`).join(" ")} fill="none" stroke="#425563" strokeWidth={1.5} />
          {points.map((p, i) => (
            <Marker key={p.auditId} x={x(i)} y={y(p.percent)} variation={p.variation} />
          ))}
        </svg>
      )}
      <figcaption className="nhsuk-body-s">{summary}</figcaption>
      {points.length > 0 && <Legend series={series} />}
      {points.length > 0 && (
        <table className="nhsuk-table" id={`${id}-table`}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">{`Data for this chart: ${series.label}`}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Audit cycle
              </th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">
                Compliance
              </th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">
                Met / partly / not met
              </th>
              <th scope="col" className="nhsuk-table__header">
                Special cause
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {points.map((p) => (
              <tr className="nhsuk-table__row" key={p.auditId} data-special-cause={p.specialCause ? "yes" : "no"}>
                <td className="nhsuk-table__cell">
                  {`${formatDateShort(p.periodEnd)}: ${p.title} (version ${p.templateVersion})`}
                </td>
                <td className="nhsuk-table__cell app-table-numeric">{formatPercent(p.percent)}</td>
                <td className="nhsuk-table__cell app-table-numeric">
                  {`${p.met} / ${p.partial} / ${p.notMet}`}
                </td>
                <td className="nhsuk-table__cell">
                  {describeRules(p.rules) + (p.specialCause ? ` (${VARIATION_ICONS[p.variation].label.replace(/^Special cause variation: /, "")})` : "")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {series.skipped.length > 0 && (
        <p className="nhsuk-body-s">
          Left out (no applicable cases): {series.skipped.map((s) => `${s.title} (${formatDateShort(s.periodEnd)})`).join("; ")}.
        </p>
      )}
    </figure>
  );
}

/**
 * A small line of a service's compliance over its cycles, for the dashboard: the target as a
 * dotted line, the latest point marked in its variation's colour and shape. The scale spans the
 * values and the target with 5 points either side (at least 10 points, within 0–100%), so a
 * change shows. The label says in words what it shows; the trend page has the full chart.
 */
export function Sparkline({ values, target, variation, label }: { values: number[]; target: number | null; variation: Variation; label: string }) {
  const w = 120;
  const h = 36;
  const pad = 6;
  const x = (i: number) => (values.length === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (values.length - 1));
  const all = target === null ? values : [...values, target];
  let lo = Math.max(0, Math.min(...all, 100) - 5);
  let hi = Math.min(100, Math.max(...all, 0) + 5);
  if (hi - lo < 10) [lo, hi] = hi >= 100 ? [90, 100] : [Math.max(0, lo), Math.max(0, lo) + 10];
  const y = (v: number) => pad + ((hi - Math.max(lo, Math.min(hi, v))) * (h - 2 * pad)) / (hi - lo);
  const last = values.length - 1;
  return (
    <svg className="app-sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} data-points={values.length}>
      {target !== null && <line x1={0} x2={w} y1={y(target)} y2={y(target)} stroke={TARGET} strokeWidth={1} strokeDasharray="2 3" />}
      {values.length > 1 && (
        <polyline fill="none" stroke={INK} strokeWidth={1.5} points={values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")} />
      )}
      {values.length > 0 && <Marker x={x(last)} y={y(values[last])} variation={variation} />}
    </svg>
  );
}
