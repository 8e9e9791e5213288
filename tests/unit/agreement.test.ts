import { describe, expect, it } from "vitest";
import {
  KAPPA_BAND_LABELS,
  agreementByCriterion,
  chanceAgreement,
  cohensKappa,
  formatAgreement,
  formatKappa,
  interpretKappa,
  percentAgreement,
  type AnswerPair,
} from "~/lib/agreement";

/**
 * Pairs from a contingency table: rows are the first rater's answer, columns the second's,
 * both in the order of `categories`. table[i][j] pairs of [categories[i], categories[j]].
 */
function fromTable(categories: string[], table: number[][]): AnswerPair[] {
  const pairs: AnswerPair[] = [];
  table.forEach((row, i) =>
    row.forEach((cell, j) => {
      for (let k = 0; k < cell; k++) pairs.push([categories[i], categories[j]]);
    }),
  );
  return pairs;
}

/** Deterministic shuffle (a fixed LCG), so the "order does not matter" tests are repeatable. */
function shuffled<T>(xs: readonly T[], seed = 12345): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const swapped = (pairs: AnswerPair[]): AnswerPair[] => pairs.map(([a, b]): AnswerPair => [b, a]);

// All closeness checks use 10 decimal places: every expected value below is an exact
// fraction, so only floating-point rounding separates it from the result.
const DP = 10;

// Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, two readers say Yes/No.
// Both Yes 20, A Yes/B No 5, A No/B Yes 10, both No 15 → po = 0.70, pe = 0.50, κ = 0.40.
const wikipediaGrant = fromTable(
  ["Yes", "No"],
  [
    [20, 5],
    [10, 15],
  ],
);

// Wikipedia, "Cohen's kappa", section "Same percentages but different numbers": two tables
// of 100 items with the same po = 0.60 but different marginals. Published κ: 0.1304 and
// 0.2593 (exactly 0.06/0.46 = 3/23 and 0.14/0.54 = 7/27).
const wikipediaSamePercentA = fromTable(
  ["Yes", "No"],
  [
    [45, 15],
    [25, 15],
  ],
);
const wikipediaSamePercentB = fromTable(
  ["Yes", "No"],
  [
    [25, 35],
    [5, 35],
  ],
);

// Three categories, as an audit criterion is answered (hand-computed, n = 30):
//               second: Met  Not met  N/A   | first total
//   first Met          10      2       1    | 13
//   first Not met       1      8       1    | 10
//   first N/A           1      1       5    |  7
//   second total       12     11       7    | 30
// po = 23/30; pe = (13·12 + 10·11 + 7·7)/30² = 315/900 = 0.35;
// κ = (23/30 − 7/20)/(13/20) = (5/12)/(13/20) = 25/39 ≈ 0.6410256410.
const threeCategory = fromTable(
  ["Met", "Not met", "N/A"],
  [
    [10, 2, 1],
    [1, 8, 1],
    [1, 1, 5],
  ],
);

describe("percentAgreement", () => {
  it("is the proportion (0–1) of identical pairs: 35/50 = 0.70 in the Wikipedia grant example", () => {
    expect(percentAgreement(wikipediaGrant)).toBeCloseTo(0.7, DP);
  });

  it("is 23/30 in the three-category example", () => {
    expect(percentAgreement(threeCategory)).toBeCloseTo(23 / 30, DP);
  });

  it("is 1 for perfect agreement and 0 for total disagreement", () => {
    expect(percentAgreement([["Met", "Met"], ["Not met", "Not met"]])).toBe(1);
    expect(percentAgreement([["Met", "Not met"], ["Not met", "Met"]])).toBe(0);
  });

  it("is null with no pairs", () => {
    expect(percentAgreement([])).toBeNull();
  });

  it("compares answers as exact strings", () => {
    expect(percentAgreement([["Met", "met"], ["Met", "Met "], ["Met", "Met"]])).toBeCloseTo(1 / 3, DP);
  });
});

describe("chanceAgreement", () => {
  it("is pe = 0.50 in the Wikipedia grant example (0.5·0.6 + 0.5·0.4)", () => {
    expect(chanceAgreement(wikipediaGrant)).toBeCloseTo(0.5, DP);
  });

  it("is 0.35 in the three-category example", () => {
    expect(chanceAgreement(threeCategory)).toBeCloseTo(0.35, DP);
  });

  it("is null with no pairs", () => {
    expect(chanceAgreement([])).toBeNull();
  });
});

describe("cohensKappa", () => {
  it("reproduces the Wikipedia grant example: κ = 0.40, exactly the double 0.4", () => {
    expect(cohensKappa(wikipediaGrant)).toBeCloseTo(0.4, DP);
    // Computed from whole-number counts, so the boundary value is not 0.39999999999999997.
    expect(cohensKappa(wikipediaGrant)).toBe(0.4);
  });

  it("reproduces Wikipedia's 'same percentages but different numbers' pair: 0.1304 and 0.2593", () => {
    expect(percentAgreement(wikipediaSamePercentA)).toBeCloseTo(0.6, DP);
    expect(percentAgreement(wikipediaSamePercentB)).toBeCloseTo(0.6, DP);
    expect(cohensKappa(wikipediaSamePercentA)).toBeCloseTo(0.1304, 4);
    expect(cohensKappa(wikipediaSamePercentA)).toBeCloseTo(3 / 23, DP);
    expect(cohensKappa(wikipediaSamePercentB)).toBeCloseTo(0.2593, 4);
    expect(cohensKappa(wikipediaSamePercentB)).toBeCloseTo(7 / 27, DP);
  });

  it("gives the hand-computed 25/39 for the three-category example", () => {
    expect(cohensKappa(threeCategory)).toBeCloseTo(25 / 39, DP);
  });

  it("is 1 for perfect agreement over more than one category", () => {
    const pairs = fromTable(
      ["Met", "Partly met", "Not met"],
      [
        [4, 0, 0],
        [0, 3, 0],
        [0, 0, 2],
      ],
    );
    expect(cohensKappa(pairs)).toBe(1);
    expect(percentAgreement(pairs)).toBe(1);
  });

  it("is 0 when agreement is exactly what chance predicts (po = pe = 0.5)", () => {
    const pairs: AnswerPair[] = [["Yes", "Yes"], ["Yes", "No"], ["No", "Yes"], ["No", "No"]];
    expect(percentAgreement(pairs)).toBeCloseTo(0.5, DP);
    expect(chanceAgreement(pairs)).toBeCloseTo(0.5, DP);
    expect(cohensKappa(pairs)).toBeCloseTo(0, DP);
  });

  it("is 0, not null, when each rater used a single but different answer (pe = 0, po = 0)", () => {
    const pairs: AnswerPair[] = [["Yes", "No"], ["Yes", "No"], ["Yes", "No"]];
    expect(chanceAgreement(pairs)).toBe(0);
    expect(cohensKappa(pairs)).toBeCloseTo(0, DP);
  });

  it("is negative when agreement is worse than chance", () => {
    // Both Yes 1, A Yes/B No 4, A No/B Yes 4, both No 1: po = 0.2, pe = 0.5, κ = −0.6.
    const pairs = fromTable(
      ["Yes", "No"],
      [
        [1, 4],
        [4, 1],
      ],
    );
    expect(cohensKappa(pairs)).toBeCloseTo(-0.6, DP);
    // Systematic disagreement with balanced marginals reaches the minimum, −1.
    expect(cohensKappa([["Yes", "No"], ["No", "Yes"]])).toBeCloseTo(-1, DP);
  });

  it("is null with one category only (pe = 1), while agreement is 1", () => {
    const pairs: AnswerPair[] = [["Met", "Met"], ["Met", "Met"], ["Met", "Met"]];
    expect(chanceAgreement(pairs)).toBe(1);
    expect(cohensKappa(pairs)).toBeNull();
    expect(percentAgreement(pairs)).toBe(1);
  });

  it("is null with no pairs", () => {
    expect(cohensKappa([])).toBeNull();
  });

  it("uses the union of categories when the raters' answer sets differ", () => {
    // First rater only answers Met/Not met; the moderator also uses N/A (n = 10):
    // Met/Met 5, Not met/Not met 2, Met/N/A 1, Not met/N/A 1, Met/Not met 1.
    // First: Met 7, Not met 3. Second: Met 5, Not met 3, N/A 2.
    // po = 0.7; pe = (7·5 + 3·3 + 0·2)/100 = 0.44; κ = 0.26/0.56 = 13/28.
    const pairs: AnswerPair[] = [
      ...Array.from({ length: 5 }, (): AnswerPair => ["Met", "Met"]),
      ["Not met", "Not met"],
      ["Not met", "Not met"],
      ["Met", "N/A"],
      ["Not met", "N/A"],
      ["Met", "Not met"],
    ];
    expect(percentAgreement(pairs)).toBeCloseTo(0.7, DP);
    expect(chanceAgreement(pairs)).toBeCloseTo(0.44, DP);
    expect(cohensKappa(pairs)).toBeCloseTo(13 / 28, DP);
    // The same with the raters swapped: now it is the FIRST rater who has the extra category.
    expect(chanceAgreement(swapped(pairs))).toBeCloseTo(0.44, DP);
    expect(cohensKappa(swapped(pairs))).toBeCloseTo(13 / 28, DP);
  });

  it("does not depend on the order of the pairs", () => {
    for (const pairs of [wikipediaGrant, threeCategory, wikipediaSamePercentB]) {
      const reordered = shuffled(pairs);
      expect(reordered).not.toEqual(pairs); // the shuffle really changed the order
      expect(cohensKappa(reordered)).toBeCloseTo(cohensKappa(pairs)!, DP);
      expect(percentAgreement(reordered)).toBeCloseTo(percentAgreement(pairs)!, DP);
      expect(cohensKappa([...pairs].reverse())).toBeCloseTo(cohensKappa(pairs)!, DP);
    }
  });

  it("is the same whichever rater is called first", () => {
    // Asymmetric off-diagonal cells (5 vs 10), so a mix-up of rows and columns would show.
    expect(cohensKappa(swapped(wikipediaGrant))).toBeCloseTo(0.4, DP);
    expect(cohensKappa(swapped(threeCategory))).toBeCloseTo(25 / 39, DP);
  });
});

describe("formatAgreement", () => {
  it("shows a proportion as a percentage with one decimal place", () => {
    expect(formatAgreement(0.85)).toBe("85.0%");
    expect(formatAgreement(2 / 3)).toBe("66.7%");
    expect(formatAgreement(1)).toBe("100.0%");
    expect(formatAgreement(0)).toBe("0.0%");
    expect(formatAgreement(percentAgreement(wikipediaGrant))).toBe("70.0%");
  });

  it("rounds halves up despite binary representation (0.1235 → 12.4%, 0.8995 → 90.0%)", () => {
    expect(formatAgreement(0.1235)).toBe("12.4%");
    expect(formatAgreement(0.8995)).toBe("90.0%");
  });

  it("says so for null", () => {
    expect(formatAgreement(null)).toBe("No answers to compare");
  });

  it("rejects a value that is not a number", () => {
    expect(() => formatAgreement(Number.NaN)).toThrow(RangeError);
  });
});

describe("formatKappa", () => {
  it("shows two decimal places with a true minus sign", () => {
    expect(formatKappa(cohensKappa(wikipediaGrant))).toBe("0.40");
    expect(formatKappa(25 / 39)).toBe("0.64");
    expect(formatKappa(-0.6)).toBe("\u22120.60");
    expect(formatKappa(1)).toBe("1.00");
  });

  it("rounds the magnitude, so ±0.605 round alike and a tiny negative shows as 0.00", () => {
    expect(formatKappa(0.605)).toBe("0.61");
    expect(formatKappa(-0.605)).toBe("\u22120.61");
    expect(formatKappa(-0.001)).toBe("0.00");
  });

  it("says so for null", () => {
    expect(formatKappa(null)).toBe("Not defined");
  });
});

describe("interpretKappa (Landis & Koch 1977)", () => {
  it("names each band from a value well inside it", () => {
    expect(interpretKappa(-0.3)).toBe("poor");
    expect(interpretKappa(0.1)).toBe("slight");
    expect(interpretKappa(0.3)).toBe("fair");
    expect(interpretKappa(0.5)).toBe("moderate");
    expect(interpretKappa(0.7)).toBe("substantial");
    expect(interpretKappa(0.9)).toBe("almost perfect");
  });

  it("treats each band's upper bound as inclusive and only negative values as poor", () => {
    expect(interpretKappa(-1)).toBe("poor");
    expect(interpretKappa(-0.0001)).toBe("poor");
    expect(interpretKappa(0)).toBe("slight");
    expect(interpretKappa(0.2)).toBe("slight");
    expect(interpretKappa(0.205)).toBe("fair");
    expect(interpretKappa(0.21)).toBe("fair");
    expect(interpretKappa(0.4)).toBe("fair");
    expect(interpretKappa(0.41)).toBe("moderate");
    expect(interpretKappa(0.6)).toBe("moderate");
    expect(interpretKappa(0.61)).toBe("substantial");
    expect(interpretKappa(0.8)).toBe("substantial");
    expect(interpretKappa(0.805)).toBe("almost perfect");
    expect(interpretKappa(1)).toBe("almost perfect");
  });

  it("is not pushed over a boundary by floating-point noise", () => {
    expect(interpretKappa(0.4000000000000001)).toBe("fair");
    expect(interpretKappa(0.20000000000000004)).toBe("slight");
    // A kappa computed from counts lands where it should: the grant example is exactly 0.40.
    expect(interpretKappa(cohensKappa(wikipediaGrant))).toBe("fair");
    expect(interpretKappa(cohensKappa(threeCategory))).toBe("substantial");
  });

  it("passes null through and rejects values that cannot be a kappa", () => {
    expect(interpretKappa(null)).toBeNull();
    expect(() => interpretKappa(1.01)).toThrow(RangeError);
    expect(() => interpretKappa(-1.01)).toThrow(RangeError);
    expect(() => interpretKappa(Number.NaN)).toThrow(RangeError);
  });

  it("has a display label for every band", () => {
    expect(KAPPA_BAND_LABELS["almost perfect"]).toBe("Almost perfect");
    expect(KAPPA_BAND_LABELS.poor).toBe("Poor");
  });
});

describe("agreementByCriterion", () => {
  // Three moderated cases. C1 (Yes/No) has the Wikipedia grant table's shape in miniature;
  // C2 is answered "Met" by everyone (kappa undefined); C3 has one case only, a disagreement.
  const rows = [
    { caseId: "A", criterionId: "C1", first: "Yes", second: "Yes" },
    { caseId: "A", criterionId: "C2", first: "Met", second: "Met" },
    { caseId: "A", criterionId: "C3", first: "Met", second: "Not met" },
    { caseId: "B", criterionId: "C1", first: "Yes", second: "No" },
    { caseId: "B", criterionId: "C2", first: "Met", second: "Met" },
    { caseId: "C", criterionId: "C1", first: "No", second: "No" },
    { caseId: "C", criterionId: "C2", first: "Met", second: "Met" },
    { caseId: "D", criterionId: "C1", first: "No", second: "Yes" },
  ];

  it("gives n, agreement, kappa and the disagreeing rows per criterion, in first-appearance order", () => {
    const { byCriterion } = agreementByCriterion(rows);
    expect(byCriterion.map((c) => c.criterionId)).toEqual(["C1", "C2", "C3"]);

    const [c1, c2, c3] = byCriterion;
    // C1: Yes/Yes, Yes/No, No/No, No/Yes → po = 0.5, pe = 0.5, κ = 0.
    expect(c1.n).toBe(4);
    expect(c1.agreement).toBeCloseTo(0.5, DP);
    expect(c1.kappa).toBeCloseTo(0, DP);
    expect(c1.disagreements.map((r) => r.caseId)).toEqual(["B", "D"]);

    // C2: one category only → agreement 1, kappa undefined, nothing to settle.
    expect(c2.n).toBe(3);
    expect(c2.agreement).toBe(1);
    expect(c2.kappa).toBeNull();
    expect(c2.disagreements).toEqual([]);

    // C3: a single disagreeing pair (pe = 0) → agreement 0, κ = 0.
    expect(c3.n).toBe(1);
    expect(c3.agreement).toBe(0);
    expect(c3.kappa).toBeCloseTo(0, DP);
    expect(c3.disagreements).toEqual([rows[2]]);
  });

  it("keeps the caller's row objects (and extra fields) in the disagreements", () => {
    const { byCriterion } = agreementByCriterion(rows);
    expect(byCriterion[0].disagreements[0]).toBe(rows[3]);
  });

  it("pools every row for the overall figures", () => {
    const { overall } = agreementByCriterion(rows);
    // 8 pairs, 5 agree. First: Yes 2, No 2, Met 4. Second: Yes 2, No 2, Met 3, Not met 1.
    // pe = (2·2 + 2·2 + 4·3)/64 = 20/64; κ = (8·5 − 20)/(64 − 20) = 20/44 = 5/11.
    expect(overall.n).toBe(8);
    expect(overall.agreement).toBeCloseTo(5 / 8, DP);
    expect(overall.kappa).toBeCloseTo(5 / 11, DP);
    expect(overall.disagreements.map((r) => [r.caseId, r.criterionId])).toEqual([
      ["A", "C3"],
      ["B", "C1"],
      ["D", "C1"],
    ]);
  });

  it("matches percentAgreement and cohensKappa on a single criterion built from a published table", () => {
    const grantRows = wikipediaGrant.map(([first, second]) => ({ criterionId: "grant", first, second }));
    const { byCriterion, overall } = agreementByCriterion(grantRows);
    expect(byCriterion).toHaveLength(1);
    expect(byCriterion[0].kappa).toBeCloseTo(0.4, DP);
    expect(byCriterion[0].agreement).toBeCloseTo(0.7, DP);
    expect(byCriterion[0].disagreements).toHaveLength(15);
    expect(overall.kappa).toBeCloseTo(0.4, DP);
  });

  it("does not depend on the order of the rows (except the order it lists things in)", () => {
    const a = agreementByCriterion(rows);
    const b = agreementByCriterion(shuffled(rows, 99));
    const byId = (r: typeof a) => Object.fromEntries(r.byCriterion.map((c) => [c.criterionId, [c.n, c.agreement, c.kappa, c.disagreements.length]]));
    expect(byId(b)).toEqual(byId(a));
    expect(b.overall.kappa).toBeCloseTo(a.overall.kappa!, DP);
    expect(b.overall.agreement).toBeCloseTo(a.overall.agreement!, DP);
  });

  it("gives an empty list and null overall figures with no rows", () => {
    expect(agreementByCriterion([])).toEqual({
      byCriterion: [],
      overall: { n: 0, agreement: null, kappa: null, disagreements: [] },
    });
  });
});
