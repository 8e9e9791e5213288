import { describe, expect, it } from "vitest";
import {
  decide,
  delaySeconds,
  describeWait,
  pairFailures,
  secondsToWait,
  SIGN_IN_ADDRESS_FREE_FAILURES,
  SIGN_IN_FREE_FAILURES,
  SIGN_IN_MAX_DELAY_MINUTES,
} from "~/lib/sign-in-throttle";

const t0 = "2026-12-04T09:00:00.000Z";
const after = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000);

describe("delays", () => {
  it("lets the first failures through, then doubles from 30 seconds up to 15 minutes", () => {
    const free = SIGN_IN_FREE_FAILURES;
    expect(delaySeconds(free - 1, free)).toBe(0);
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((extra) => delaySeconds(free + extra, free))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(delaySeconds(10_000, free)).toBe(SIGN_IN_MAX_DELAY_MINUTES * 60);
  });

  it("counts the wait from the latest failure", () => {
    expect(secondsToWait(SIGN_IN_FREE_FAILURES, t0, SIGN_IN_FREE_FAILURES, after(10))).toBe(20);
    expect(secondsToWait(SIGN_IN_FREE_FAILURES, t0, SIGN_IN_FREE_FAILURES, after(30))).toBe(0);
    expect(secondsToWait(SIGN_IN_FREE_FAILURES - 1, t0, SIGN_IN_FREE_FAILURES, after(0))).toBe(0);
  });
});

describe("which failures count for an email and address", () => {
  it("those since the latest success, pending ones included", () => {
    const attempts = [
      { at: "2026-12-04T09:05:00.000Z", outcome: "pending" as const },
      { at: "2026-12-04T09:04:00.000Z", outcome: "failed" as const },
      { at: "2026-12-04T09:03:00.000Z", outcome: "succeeded" as const },
      { at: "2026-12-04T09:02:00.000Z", outcome: "failed" as const },
    ];
    expect(pairFailures(attempts)).toEqual({ failures: 2, latest: "2026-12-04T09:05:00.000Z" });
    expect(pairFailures([])).toEqual({ failures: 0, latest: null });
  });
});

describe("the decision", () => {
  const none = { failures: 0, latest: null };
  it("goes ahead when neither the email and address nor the address has too many failures", () => {
    expect(decide({ failures: SIGN_IN_FREE_FAILURES - 1, latest: t0 }, { failures: SIGN_IN_ADDRESS_FREE_FAILURES - 1, latest: t0 }, after(1))).toEqual({ wait: 0 });
  });
  it("names which limit was reached, and the longer wait", () => {
    expect(decide({ failures: SIGN_IN_FREE_FAILURES, latest: t0 }, none, after(1))).toEqual({ wait: 29, scope: "email" });
    expect(decide(none, { failures: SIGN_IN_ADDRESS_FREE_FAILURES + 1, latest: t0 }, after(1))).toEqual({ wait: 59, scope: "address" });
  });
});

describe("the wait in words", () => {
  it.each([
    [1, "1 second"],
    [29, "29 seconds"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [900, "15 minutes"],
  ])("%i seconds is %s", (seconds, words) => {
    expect(describeWait(seconds)).toBe(words);
  });
});
