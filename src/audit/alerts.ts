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
 * The incomplete rate at or above which an agent alerts whatever its baseline: a change test alone
 * never fires for an agent whose baseline is already half incomplete (2b ≥ 1), so an agent broken for
 * longer than its baseline would read as clear.
 */
export const CEILING_RATE = 0.5;

/**
 * `rate`: the window has at least `minRuns` finished runs, and either its incomplete rate is at least
 * twice the baseline rate b and seeing that many incomplete runs is improbable under b
 * (P(X ≥ k | n, b) < alpha for X ~ Binomial(n, b), one-sided), or it is at least half and improbable
 * under one half (P(X ≥ k | n, ½) < alpha: most of the agent's runs cannot be reconstructed, whatever
 * its baseline). Below a baseline of ¼ the second never fires where the first does not.
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
  const alert = (testedRate: number, against: string) => {
    const pValue = binomialUpperTail(k, n, testedRate);
    if (!(pValue < settings.alpha)) return null;
    return {
      kind: "rate" as const,
      incomplete: k,
      finished: n,
      rate,
      baselineRate: b,
      ...(testedRate === b ? {} : { testedRate }),
      pValue,
      alpha: settings.alpha,
      message: `${k} of ${n} finished runs incomplete (${pct(rate)}) ${against}: P(X ≥ ${k}) = ${pValue.toExponential(2)} < ${settings.alpha}`,
    };
  };
  return (
    (rate >= 2 * b ? alert(b, `against a baseline of ${pct(b)}`) : null) ??
    (rate >= CEILING_RATE
      ? alert(
          CEILING_RATE,
          `— at least half of its runs cannot be reconstructed, whatever its baseline (${pct(b)})`,
        )
      : null)
  );
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
