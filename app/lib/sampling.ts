/**
 * Drawing audit samples: a seeded random number generator, simple and stratified random
 * samples, the NHS audit sample-size formula (domain rule 33) and a plain-English
 * description of what a sample can and cannot show.
 *
 * Pure: no Node-only imports, no clock and no global randomness except in `generateSeed`.
 * Every draw is reproducible from (population, size, seed), so an audit can record the seed
 * and anyone can re-draw the same sample later to check it. If the algorithm here ever
 * changes, change `SAMPLING_ALGORITHM` too, so stored samples say which version drew them.
 */

/** Stored next to a seed so a sample can be re-drawn with the same algorithm. */
export const SAMPLING_ALGORITHM = "cyrb128-sfc32/sorted-fisher-yates/v1";

/*
 * PRNG: "sfc32" (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, from
 * PractRand) seeded by "cyrb128" (a 128-bit string hash). Both are the public-domain
 * JavaScript versions from bryc's collection (github.com/bryc/code, jshash/PRNGs.md).
 * sfc32 passes PractRand and is not cryptographic, which is fine here: the seed is not a
 * secret, the point is that the draw is fair and repeatable.
 */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

const TWO_32 = 4294967296;

function requireSeed(seed: string): void {
  if (typeof seed !== "string" || seed.length === 0) throw new RangeError("A sample needs a non-empty seed");
}

/**
 * A repeatable random number generator: each call returns the next float in [0, 1), a
 * whole multiple of 2^-32. The same seed always gives the same sequence.
 * sfc32 seeded with the cyrb128 hash of the seed; the first 15 outputs are thrown away,
 * as the sfc32 author recommends, so that similar seeds do not start out correlated.
 */
export function createRng(seed: string): () => number {
  requireSeed(seed);
  const next = sfc32(...cyrb128(seed));
  for (let i = 0; i < 15; i++) next();
  return () => next() / TWO_32;
}

/**
 * A whole number in [0, k), exactly uniform: the generator's 32-bit output is taken back
 * from the float and values in the uneven top slice are rejected and drawn again
 * (`Math.floor(rng() * k)` would be very slightly biased).
 */
function uniformInt(rng: () => number, k: number): number {
  const limit = TWO_32 - (TWO_32 % k);
  for (;;) {
    const u = rng() * TWO_32;
    if (u < limit) return u % k;
  }
}

/** Compares by Unicode code point (plain `<` compares UTF-16 code units, which differs for emoji etc.). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function canonicalPopulation(refs: string[]): string[] {
  return [...new Set(refs)].sort(compareCodePoints);
}

function requireCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number of 0 or more, not ${n}`);
}

/**
 * A simple random sample of `n` case references, without replacement, in the order drawn.
 *
 * Rules:
 * - The population is treated as a set: duplicates are dropped, and a copy is sorted by
 *   code point before drawing, so the same population in any order, with the same seed,
 *   gives the same sample.
 * - The draw is a partial Fisher–Yates shuffle of that sorted copy driven by
 *   `createRng(seed)`: every set of `n` references is equally likely.
 * - `n` larger than the population returns the whole population (shuffled into draw order).
 * - `n` negative or not a whole number throws a RangeError; so does an empty seed.
 */
export function drawSample(refs: string[], n: number, seed: string): string[] {
  requireCount(n, "The sample size");
  requireSeed(seed);
  const pool = canonicalPopulation(refs);
  const take = Math.min(n, pool.length);
  const rng = createRng(seed);
  for (let i = 0; i < take; i++) {
    const j = i + uniformInt(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take);
}

/** z-values for the confidence levels the UBHT calculator offers (domain §4.3). */
export const CONFIDENCE_Z: Readonly<Record<string, number>> = { "0.95": 1.96, "0.9": 1.645, "0.8": 1.28 };

export type Confidence = 0.95 | 0.9 | 0.8;

function zFor(confidence: number): number {
  const c = CONFIDENCE_Z[String(confidence)];
  if (c === undefined) throw new RangeError(`Confidence must be 0.95, 0.9 or 0.8, not ${confidence}`);
  return c;
}

/** Rounds away floating-point dust (…0000001) so an exact whole number is not pushed up by `ceil`. */
function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function requireProportion(x: number, what: string): void {
  if (!(typeof x === "number" && x > 0 && x < 1)) throw new RangeError(`${what} must be between 0 and 1 (exclusive), not ${x}`);
}

/**
 * The number of cases to audit (domain rule 33, UBHT calculator):
 *   n = ⌈ c²·N·p(1−p) / (A²·N + c²·p(1−p)) ⌉, never more than N; N = 0 gives 0.
 * c = 1.96 (95%), 1.645 (90%), 1.28 (80%); any other confidence throws a RangeError.
 * `margin` is A (0.05 = ±5 percentage points), `p` the expected proportion meeting the
 * standard (0.5 when unknown, which gives the largest sample).
 * Rounded up, so the published tables that round to nearest can be one lower (217 vs 218).
 */
export function sampleSize({
  population,
  confidence,
  margin = 0.05,
  p = 0.5,
}: {
  population: number;
  confidence: number;
  margin?: number;
  p?: number;
}): number {
  requireCount(population, "The population");
  const c = zFor(confidence);
  requireProportion(margin, "The margin of error");
  requireProportion(p, "The expected proportion");
  if (population === 0) return 0;
  const cpq = c * c * p * (1 - p);
  const n = Math.ceil(clean((cpq * population) / (margin * margin * population + cpq)));
  return Math.min(n, population);
}

/**
 * The margin of error (as a fraction: 0.049 = ±4.9 points) of a proportion from a simple
 * random sample of n out of N, at the given confidence: the sample-size formula solved for A,
 *   A = c·√( p(1−p)·(N−n) / (n·N) ).
 * 0 when every case is audited; Infinity when none is.
 */
export function marginOfError({
  sample,
  population,
  confidence = 0.95,
  p = 0.5,
}: {
  sample: number;
  population: number;
  confidence?: number;
  p?: number;
}): number {
  requireCount(sample, "The sample size");
  requireCount(population, "The population");
  if (sample > population) throw new RangeError(`The sample (${sample}) cannot be larger than the population (${population})`);
  const c = zFor(confidence);
  requireProportion(p, "The expected proportion");
  if (sample === 0) return Infinity;
  return c * Math.sqrt((p * (1 - p) * (population - sample)) / (sample * population));
}

export type StratifiedOptions = {
  /** Stratum key (for example a team name) → the case references in that stratum. */
  strata: Record<string, string[]>;
  seed: string;
  mode: "proportional" | "fixed";
  /** Proportional: the overall sample size (capped at the population). */
  total?: number;
  /** Proportional, instead of `total`: this percentage of the population, rounded up. */
  percent?: number;
  /** Fixed: the number to draw from every stratum (capped at its size). */
  perStratum?: number;
  /** Any stratum allocated fewer than this is raised to min(minPerStratum, its size). */
  minPerStratum?: number;
};

export type StratifiedSample = {
  /** Number drawn from each stratum (every key of `strata` is present). */
  allocation: Record<string, number>;
  /** Each stratum's picks, in draw order. */
  byStratum: Record<string, string[]>;
  /** All picks: strata in code-point order of their keys, each in draw order. */
  sample: string[];
};

/**
 * Hamilton (largest remainder) allocation of `total` across strata of the given sizes, in
 * exact integer arithmetic: each stratum gets ⌊total·size/N⌋, then the places left over go
 * one each to the largest remainders (ties: larger stratum first, then key in code-point
 * order). Never gives a stratum more than its size when total ≤ N.
 */
function hamilton(keys: string[], sizes: Record<string, number>, total: number): Record<string, number> {
  const population = keys.reduce((sum, k) => sum + sizes[k], 0);
  const allocation: Record<string, number> = {};
  if (population === 0) {
    for (const k of keys) allocation[k] = 0;
    return allocation;
  }
  const remainders: { key: string; remainder: number }[] = [];
  let given = 0;
  for (const k of keys) {
    const product = total * sizes[k];
    allocation[k] = Math.floor(product / population);
    remainders.push({ key: k, remainder: product % population });
    given += allocation[k];
  }
  remainders.sort((a, b) => b.remainder - a.remainder || sizes[b.key] - sizes[a.key] || compareCodePoints(a.key, b.key));
  for (let i = 0; i < total - given; i++) allocation[remainders[i].key] += 1;
  return allocation;
}

/**
 * A stratified random sample.
 *
 * Rules:
 * - Each stratum is a set (duplicates within it are dropped); a reference in two strata
 *   throws an Error, because it would make the strata overlap.
 * - "proportional": the overall size is `total` (capped at the population), or `percent` of
 *   the population rounded up (e.g. 10% of 101 → 11); exactly one of the two must be given.
 *   It is shared out in proportion to stratum size by the largest remainder (Hamilton)
 *   method, so the allocations add up to the overall size.
 * - "fixed": `perStratum` from every stratum, or all of a stratum smaller than that.
 * - Then, in either mode, any stratum allocated fewer than `minPerStratum` is raised to
 *   min(minPerStratum, stratum size). Raising does not take places from other strata, so
 *   the sample can end up larger than `total`.
 * - Stratum `key` is drawn with `drawSample(refs, allocation, seed + ":" + key)`, so each
 *   stratum's draw depends only on its own members, the seed and its key.
 */
export function drawStratified(options: StratifiedOptions): StratifiedSample {
  const { strata, seed, mode, total, percent, perStratum, minPerStratum = 0 } = options;
  requireSeed(seed);
  requireCount(minPerStratum, "The minimum per stratum");
  const keys = Object.keys(strata).sort(compareCodePoints);
  const members: Record<string, string[]> = {};
  const seen = new Set<string>();
  for (const k of keys) {
    members[k] = canonicalPopulation(strata[k]);
    for (const ref of members[k]) {
      if (seen.has(ref)) throw new Error(`A case reference appears in more than one stratum (found again in "${k}")`);
      seen.add(ref);
    }
  }
  const sizes = Object.fromEntries(keys.map((k) => [k, members[k].length]));
  const population = seen.size;

  let allocation: Record<string, number>;
  if (mode === "proportional") {
    if ((total === undefined) === (percent === undefined)) {
      throw new RangeError("A proportional sample needs either a total or a percentage, not both");
    }
    let overall: number;
    if (total !== undefined) {
      requireCount(total, "The total sample size");
      overall = Math.min(total, population);
    } else {
      if (!(typeof percent === "number" && percent > 0 && percent <= 100)) {
        throw new RangeError(`The percentage must be more than 0 and at most 100, not ${percent}`);
      }
      overall = Math.min(Math.ceil(clean((percent * population) / 100)), population);
    }
    allocation = hamilton(keys, sizes, overall);
  } else if (mode === "fixed") {
    if (perStratum === undefined) throw new RangeError("A fixed sample needs a number per stratum");
    requireCount(perStratum, "The number per stratum");
    allocation = Object.fromEntries(keys.map((k) => [k, Math.min(perStratum, sizes[k])]));
  } else {
    throw new RangeError(`Unknown sampling mode: ${String(mode)}`);
  }
  for (const k of keys) allocation[k] = Math.max(allocation[k], Math.min(minPerStratum, sizes[k]));

  const byStratum: Record<string, string[]> = {};
  const sample: string[] = [];
  for (const k of keys) {
    byStratum[k] = drawSample(members[k], allocation[k], `${seed}:${k}`);
    sample.push(...byStratum[k]);
  }
  return { allocation, byStratum, sample };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A fresh seed for a new sample: 12 Crockford base32 characters (60 random bits) from the
 * platform's cryptographic generator, grouped for reading aloud ("7K3Q-9M2X-AB4D").
 * Record it with the sample; it is not a secret.
 */
export function generateSeed(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => CROCKFORD[b & 31]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

function confidenceTimesIn100(confidence: number): number {
  zFor(confidence);
  return Math.round(confidence * 100);
}

/** Percentage points, rounded up to a whole number so the claim is never better than the truth. */
function points(margin: number): number {
  return Math.ceil(clean(margin * 100));
}

export type SampleDescription = {
  /** What the sample can show. */
  shows: string;
  /** What it cannot show (always at least one sentence). */
  cannot: string[];
  /** The overall margin of error as a fraction (0 when every case is audited). */
  margin: number;
};

/**
 * Plain-English statements of what a sample of `sample` cases from `population` can show, at
 * the given confidence, with p = 0.5 (the widest margin, so the claim holds whatever the
 * true figure): "With 80 of 100 cases, a compliance figure is within ±5 percentage points of
 * the true figure 95 times in 100 — if the cases were chosen at random."
 * Margins are rounded up to whole percentage points. `strata` (optional) adds a warning for
 * each stratum whose own margin is wider than ±`stratumMarginWarning` (default 0.1), because
 * a figure for a small team is much less precise than the overall figure.
 */
export function describeSample({
  sample,
  population,
  confidence = 0.95,
  strata,
  stratumMarginWarning = 0.1,
}: {
  sample: number;
  population: number;
  confidence?: number;
  strata?: Record<string, { sample: number; population: number }>;
  stratumMarginWarning?: number;
}): SampleDescription {
  const times = confidenceTimesIn100(confidence);
  const margin = marginOfError({ sample, population, confidence });
  const cases = (n: number) => `${n} ${n === 1 ? "case" : "cases"}`;
  let shows: string;
  if (population === 0) {
    shows = "There are no cases to audit.";
  } else if (sample === 0) {
    shows = "No cases have been sampled, so the audit cannot show anything about compliance.";
  } else if (sample === population) {
    shows = `All ${cases(population)} are audited, so the compliance figure is the true figure for these cases, with no sampling error.`;
  } else {
    shows =
      `With ${sample} of ${cases(population)}, a compliance figure is within ±${points(margin)} percentage points ` +
      `of the true figure ${times} times in 100 — if the cases were chosen at random.`;
  }
  const cannot: string[] = [];
  if (sample > 0 && sample < population) {
    cannot.push(
      "It cannot show the true figure exactly, and the margin only holds if the cases were chosen at random, not picked by hand.",
    );
  }
  for (const key of Object.keys(strata ?? {}).sort(compareCodePoints)) {
    const s = strata![key];
    if (s.population === 0 || s.sample === s.population) continue;
    const m = marginOfError({ sample: s.sample, population: s.population, confidence });
    if (m <= stratumMarginWarning) continue;
    cannot.push(
      s.sample === 0
        ? `It cannot show anything about ${key}: none of its ${cases(s.population)} are in the sample.`
        : `It cannot give a precise figure for ${key} on its own: with ${s.sample} of ${cases(s.population)}, ` +
            `that figure is only within ±${points(m)} percentage points ${times} times in 100.`,
    );
  }
  if (cannot.length === 0) cannot.push("It cannot show why a case did or did not meet the standard: read the auditors' notes for that.");
  return { shows, cannot, margin };
}
