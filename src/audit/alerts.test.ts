import { describe, expect, it } from "vitest";
import { baselineRate, CEILING_RATE, rateAlert, silenceAlert } from "./alerts.js";
import { binomialUpperTail } from "./binomial.js";

/** P(X ≥ k) by exact rational arithmetic, for small n. */
function exactTail(k: number, n: number, p: number): number {
  let sum = 0;
  let choose = 1n;
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) sum += Number(choose) * p ** i * (1 - p) ** (n - i);
  }
  return sum;
}

describe("binomialUpperTail", () => {
  it("agrees with the exact sum on small cases, both sides of the mode", () => {
    for (const [k, n, p] of [
      [0, 10, 0.3],
      [1, 10, 0.3],
      [3, 10, 0.3],
      [7, 10, 0.3],
      [10, 10, 0.3],
      [5, 40, 0.02],
      [20, 40, 0.5],
      [11, 50, 0.01],
    ] as const) {
      const exact = exactTail(k, n, p);
      expect(Math.abs(binomialUpperTail(k, n, p) - exact)).toBeLessThanOrEqual(Math.max(1e-12, exact * 1e-9));
    }
  });

  it("stays accurate for tiny tails of large runs counts", () => {
    // P(X ≥ 100 | 1000, 0.01) is about 8e-65 (the mean is 10): a difference of tails would be 0.
    for (const [k, n, p] of [
      [100, 1000, 0.01],
      [30, 1000, 0.01],
      [12, 1000, 0.01],
    ] as const) {
      const exact = exactTail(k, n, p);
      expect(exact).toBeGreaterThan(0);
      expect(Math.abs(binomialUpperTail(k, n, p) - exact) / exact).toBeLessThan(1e-9);
    }
    expect(binomialUpperTail(0, 1000, 0.01)).toBe(1);
    expect(binomialUpperTail(1001, 1000, 0.01)).toBe(0);
  });
});

describe("alerts", () => {
  const settings = { minRuns: 50, alpha: 0.001 };

  it("uses Laplace's rule for the baseline, so an empty or clean baseline is not zero", () => {
    expect(baselineRate(0, 0)).toBe(0.5);
    expect(baselineRate(0, 998)).toBe(0.001);
  });

  it("fires a rate alert at half the runs incomplete, whatever the baseline", () => {
    // Broken since before its baseline: 21 of 22 baseline runs incomplete, b = 22/24. No rate is twice
    // that; the change test alone reads every later window as clear.
    const broken = { incomplete: 21, finished: 22 };
    const alert = rateAlert({ incomplete: 60, finished: 60 }, broken, settings);
    expect(alert).toMatchObject({ kind: "rate", rate: 1, testedRate: CEILING_RATE });
    expect(alert!.baselineRate).toBeCloseTo(22 / 24, 12);
    expect(alert!.pValue).toBeCloseTo(0.5 ** 60, 30);
    expect(alert!.message).toContain("at least half of its runs cannot be reconstructed");
    // Half, but not improbably over half: 110 of 200 (P(X ≥ 110 | ½) ≈ 0.09).
    expect(rateAlert({ incomplete: 110, finished: 200 }, broken, settings)).toBeNull();
    // Too few runs, as for every rate alert.
    expect(rateAlert({ incomplete: 10, finished: 10 }, broken, settings)).toBeNull();
    // Below ¼ the change test fires first and says so: no testedRate.
    expect(
      rateAlert({ incomplete: 60, finished: 60 }, { incomplete: 1, finished: 100 }, settings),
    ).not.toHaveProperty("testedRate");
  });

  it("fires a rate alert only with enough runs, twice the baseline rate and a small tail", () => {
    const baseline = { incomplete: 8, finished: 998 }; // b = 0.009
    expect(rateAlert({ incomplete: 10, finished: 100 }, baseline, settings)).toMatchObject({
      kind: "rate",
      incomplete: 10,
      finished: 100,
    });
    // Too few finished runs.
    expect(rateAlert({ incomplete: 10, finished: 49 }, baseline, settings)).toBeNull();
    // Twice the baseline but plausible under it: 2 of 100 at b = 0.009 (p ≈ 0.23).
    expect(rateAlert({ incomplete: 2, finished: 100 }, baseline, settings)).toBeNull();
    // Improbable but under twice the baseline: 150 of 10000 at b = 0.009 (rate 0.015 < 0.018).
    expect(rateAlert({ incomplete: 150, finished: 10_000 }, baseline, settings)).toBeNull();
  });

  it("fires silence when an agent with baseline runs has none in the window", () => {
    expect(silenceAlert(0, 12, 1_700_000_000_000_000_000n)).toMatchObject({
      kind: "silence",
      baselineRuns: 12,
    });
    expect(silenceAlert(1, 12, 1_700_000_000_000_000_000n)).toBeNull();
    expect(silenceAlert(0, 0, undefined)).toBeNull();
  });
});
