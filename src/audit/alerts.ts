import { binomialUpperTail } from "./binomial.js";
import type { Alert } from "./schema.js";
import { isoTime } from "./window.js";

export interface AlertSettings {
  /** A rate alert needs at least this many finished runs in the window. */
  readonly minRuns: number;
  /** …and a tail probability below this. */
  readonly alpha: number;
}

/** The baseline rate the window is tested against: (k+1)/(n+2), never 0 or 1 (Laplace's rule). */
export function baselineRate(incomplete: number, finished: number): number {
  return (incomplete + 1) / (finished + 2);
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/**
 * `rate`: the window has at least `minRuns` finished runs, its incomplete rate is at least twice the
 * baseline rate b, and seeing that many incomplete runs is improbable under b:
 * P(X ≥ k | n, b) < alpha for X ~ Binomial(n, b), one-sided.
 */
export function rateAlert(
  window: { incomplete: number; finished: number },
  baseline: { incomplete: number; finished: number },
  settings: AlertSettings,
): Extract<Alert, { kind: "rate" }> | null {
  const { incomplete: k, finished: n } = window;
  if (n < settings.minRuns || n === 0) return null;
  const b = baselineRate(baseline.incomplete, baseline.finished);
  const rate = k / n;
  if (rate < 2 * b) return null;
  const pValue = binomialUpperTail(k, n, b);
  if (!(pValue < settings.alpha)) return null;
  return {
    kind: "rate",
    incomplete: k,
    finished: n,
    rate,
    baselineRate: b,
    pValue,
    alpha: settings.alpha,
    message: `${k} of ${n} finished runs incomplete (${pct(rate)}) against a baseline of ${pct(b)}: P(X ≥ ${k}) = ${pValue.toExponential(2)} < ${settings.alpha}`,
  };
}

/**
 * `silence`: the agent had runs in the baseline and has none in the window — telemetry stopped, which is
 * a failure of the audit logging mechanism itself (PCI DSS 10.7.2).
 */
export function silenceAlert(
  windowRuns: number,
  baselineRuns: number,
  lastRun: bigint | undefined,
): Extract<Alert, { kind: "silence" }> | null {
  if (windowRuns > 0 || baselineRuns === 0 || lastRun === undefined) return null;
  return {
    kind: "silence",
    baselineRuns,
    lastRun: isoTime(lastRun),
    message: `no run in the window after ${baselineRuns} in the baseline (the last started ${isoTime(lastRun)}): telemetry stopped`,
  };
}
