/**
 * Trend series for a template: one point per completed audit cycle, overall and per criterion,
 * each run through the XmR chart (app/lib/spc.ts). Pure: the model gathers each cycle's roll-up
 * (from the one scoring module) and this module orders, matches and charts them.
 *
 * - Cycles are ordered by period end, then period start, then audit id.
 * - Criteria are matched across template versions by their stable id: a reworded criterion
 *   continues its line (labelled with its newest wording); a new one starts its own line at
 *   the first cycle that has it. A cycle with no applicable cases for a series is left out of
 *   that series (listed in `skipped`), never plotted as 0% or 100%.
 * - Compliance is "higher is better" and the template's green threshold is the target.
 */
import { formatDateShort } from "~/lib/dates";
import { formatPercent } from "~/lib/scoring";
import { DEFAULT_RUN_LENGTH, DEFAULT_TREND_LENGTH, xmr, type Assurance, type ImprovementDirection, type Side, type SpcRule, type Variation } from "~/lib/spc";

/** The counts behind one figure (a subset of scoring's Figure). */
export type CycleFigure = { met: number; partial: number; notMet: number; numerator: number; denominator: number; percent: number | null };

export type Cycle = {
  auditId: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  templateVersion: number;
  overall: CycleFigure;
  /** In the cycle's template order. */
  criteria: (CycleFigure & { criterionId: string; question: string })[];
};

export type TrendPoint = CycleFigure & {
  auditId: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  templateVersion: number;
  percent: number;
  specialCause: boolean;
  rules: SpcRule[];
  side: Side | null;
  variation: Variation;
};

export type TrendSeries = {
  /** "overall" or the criterion id. */
  id: string;
  criterionId: string | null;
  label: string;
  /** False for a criterion no longer in the latest template version. */
  current: boolean;
  points: TrendPoint[];
  /** Cycles with no applicable cases for this series (left out of the chart). */
  skipped: { auditId: number; title: string; periodEnd: string }[];
  mean: number | null;
  upperLimit: number | null;
  lowerLimit: number | null;
  target: number | null;
  improvement: ImprovementDirection;
  variation: Variation;
  assurance: Assurance | null;
  tooFewPoints: boolean;
  warning: string | null;
};

export type TrendOptions = {
  /** The template's green threshold (%), used as the assurance target. */
  target: number | null;
  /** The latest template version's criteria, in order: they come first, in this order. */
  latestCriteria?: { id: string; question: string }[];
};

export function orderCycles<T extends Pick<Cycle, "periodEnd" | "periodStart" | "auditId">>(cycles: T[]): T[] {
  return [...cycles].sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart) || a.auditId - b.auditId);
}

function series(id: string, criterionId: string | null, label: string, current: boolean, entries: { cycle: Cycle; figure: CycleFigure }[], target: number | null): TrendSeries {
  const plotted = entries.filter((e) => e.figure.percent !== null);
  const result = xmr(
    plotted.map((e) => e.figure.percent as number),
    { improvement: "up", target },
  );
  return {
    id,
    criterionId,
    label,
    current,
    points: plotted.map(({ cycle, figure }, i) => ({
      auditId: cycle.auditId,
      title: cycle.title,
      periodStart: cycle.periodStart,
      periodEnd: cycle.periodEnd,
      templateVersion: cycle.templateVersion,
      met: figure.met,
      partial: figure.partial,
      notMet: figure.notMet,
      numerator: figure.numerator,
      denominator: figure.denominator,
      percent: figure.percent as number,
      specialCause: result.points[i].specialCause,
      rules: result.points[i].rules,
      side: result.points[i].side,
      variation: result.points[i].variation,
    })),
    skipped: entries.filter((e) => e.figure.percent === null).map(({ cycle }) => ({ auditId: cycle.auditId, title: cycle.title, periodEnd: cycle.periodEnd })),
    mean: result.mean,
    upperLimit: result.upperLimit,
    lowerLimit: result.lowerLimit,
    target,
    improvement: "up",
    variation: result.variation,
    assurance: result.assurance,
    tooFewPoints: result.tooFewPoints,
    warning: result.warning,
  };
}

/** The overall series and one series per criterion (matched by id across versions). */
export function buildTrends(cycles: Cycle[], options: TrendOptions): { overall: TrendSeries; criteria: TrendSeries[] } {
  const ordered = orderCycles(cycles);
  const overall = series(
    "overall",
    null,
    "Overall compliance",
    true,
    ordered.map((cycle) => ({ cycle, figure: cycle.overall })),
    options.target,
  );

  const byId = new Map<string, { question: string; entries: { cycle: Cycle; figure: CycleFigure }[] }>();
  for (const cycle of ordered) {
    for (const c of cycle.criteria) {
      const s = byId.get(c.criterionId) ?? { question: c.question, entries: [] };
      s.question = c.question; // the newest wording seen (cycles are in time order)
      s.entries.push({ cycle, figure: c });
      byId.set(c.criterionId, s);
    }
  }
  const latest = options.latestCriteria;
  const latestIds = latest ? new Set(latest.map((c) => c.id)) : null;
  const ids = [...(latest ?? []).map((c) => c.id).filter((id) => byId.has(id)), ...[...byId.keys()].filter((id) => !latestIds?.has(id))];
  const criteria = ids.map((id) => {
    const s = byId.get(id)!;
    const label = latest?.find((c) => c.id === id)?.question ?? s.question;
    return series(id, id, label, latestIds ? latestIds.has(id) : true, s.entries, options.target);
  });
  return { overall, criteria };
}

/** Which rules flagged a point, in words (for the table and summaries). */
export const RULE_DESCRIPTIONS: Record<SpcRule, string> = {
  outside: "a point outside the process limits",
  run: `a run of ${DEFAULT_RUN_LENGTH} or more points on one side of the mean`,
  trend: `${DEFAULT_TREND_LENGTH} or more points in a row rising or falling`,
  "two-of-three": "two of three points close to a process limit",
};

export function describeRules(rules: SpcRule[]): string {
  if (rules.length === 0) return "No";
  const text = rules.map((r) => RULE_DESCRIPTIONS[r]).join("; ");
  return `Yes: ${text}`;
}

/**
 * The chart's y-axis: a range inside 0–100 that holds the points, the mean, the limits and the
 * target where they fall within 0–100, rounded out to the tick step (10, or 5 for a narrow range).
 */
export function yAxis(values: (number | null | undefined)[]): { min: number; max: number; ticks: number[] } {
  const inRange = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).map((v) => Math.min(100, Math.max(0, v)));
  if (inRange.length === 0) return { min: 0, max: 100, ticks: [0, 20, 40, 60, 80, 100] };
  let lo = Math.min(...inRange);
  let hi = Math.max(...inRange);
  const step = hi - lo > 40 ? 10 : 5;
  lo = Math.max(0, Math.floor((lo - 1) / step) * step);
  hi = Math.min(100, Math.ceil((hi + 1) / step) * step);
  // At least four steps, widened towards whichever side has room.
  while ((hi - lo) / step < 4) {
    if (hi < 100) hi += step;
    else lo -= step;
    if (lo < 0) lo = 0;
    if (hi === 100 && lo === 0) break;
  }
  const ticks: number[] = [];
  for (let t = lo; t <= hi + 1e-9; t += step) ticks.push(t);
  return { min: lo, max: hi, ticks };
}

const pct = (p: number) => formatPercent(p);

/** One-paragraph text summary of a series (the chart's accessible name). */
export function summariseSeries(s: TrendSeries): string {
  const n = s.points.length;
  if (n === 0) return `${s.label}: no audit cycle with applicable cases yet, so there is nothing to chart.`;
  const first = s.points[0];
  const last = s.points[n - 1];
  const parts = [
    `${s.label}: ${n} audit ${n === 1 ? "cycle" : "cycles"}, period ending ${formatDateShort(first.periodEnd)}${n > 1 ? ` to ${formatDateShort(last.periodEnd)}` : ""}.`,
    `Latest ${pct(last.percent)}.`,
  ];
  if (s.mean !== null) parts.push(`Mean ${pct(s.mean)}.`);
  if (s.lowerLimit !== null && s.upperLimit !== null) parts.push(`Process limits ${pct(s.lowerLimit)} to ${pct(s.upperLimit)}.`);
  if (s.target !== null) parts.push(`Target ${s.target}%.`);
  const flagged = s.points.filter((p) => p.specialCause).length;
  parts.push(flagged === 0 ? "No point shows special cause variation." : `${flagged} of ${n} ${n === 1 ? "point shows" : "points show"} special cause variation.`);
  return parts.join(" ");
}
