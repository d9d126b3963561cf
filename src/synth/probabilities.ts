import fc from "fast-check";
import type { KindProbability } from "../analyze/analyze.js";
import type { RunClass } from "../analyze/representative.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { LayerKind } from "../model/record.js";
import type { StoredView } from "../pipeline/index.js";
import { checkRecords } from "../reconstruct/check.js";
import { agentRunArb, type SyntheticRun } from "./agent-run.js";
import type { SynthOptions } from "./options.js";

/** The exact chance (from the config) and the observed share (from generated runs) that a kind is kept. */
export interface ProbabilityComparison {
  readonly stream: string;
  readonly kind: LayerKind;
  /** plain, failed (a run with a failed action) or denied (a run with a blocked tool call). */
  readonly class: RunClass;
  readonly exact: number;
  /** Share of the generated runs of this class with such records whose records were kept; null with none. */
  readonly observed: number | null;
  /** How many generated runs of this class had such records. */
  readonly runs: number;
}

/** A run's class as `analyze` counts them; a run both failed and denied fits neither exactly and is left out. */
export function runClass(run: SyntheticRun): RunClass | undefined {
  const failed = run.records.some((r) => r.status.code === "error");
  const denied = run.records.some((r) => r.kind === "policy" && r.attributes["policy.decision"] === "deny");
  if (failed && denied) return undefined;
  return failed ? "failed" : denied ? "denied" : "plain";
}

/** Tallies, per stream, kind and class, how many runs had such records and how many kept them. */
export class ObservedTally {
  private readonly counts = new Map<string, { runs: number; kept: number }>();

  constructor(private readonly exact: readonly KindProbability[]) {}

  add(run: SyntheticRun, view: StoredView): void {
    const cls = runClass(run);
    if (!cls) return;
    const kinds = new Set(run.records.map((r) => r.kind));
    const kindOf = new Map(run.records.map((r) => [r.spanId, r.kind]));
    const kept = new Set(view.stored.map((s) => `${s.stream}\u0000${kindOf.get(s.record.spanId)}`));
    for (const p of this.exact) {
      if (p[cls] === null || !kinds.has(p.kind)) continue;
      const key = `${p.stream}\u0000${p.kind}\u0000${cls}`;
      const c = this.counts.get(key) ?? { runs: 0, kept: 0 };
      c.runs++;
      if (kept.has(`${p.stream}\u0000${p.kind}`)) c.kept++;
      this.counts.set(key, c);
    }
  }

  /** Exact and observed side by side, in the order `analyze` lists streams and kinds. */
  compare(): ProbabilityComparison[] {
    const out: ProbabilityComparison[] = [];
    for (const p of this.exact) {
      for (const cls of ["plain", "failed", "denied"] as const) {
        const exact = p[cls];
        if (exact === null) continue;
        const c = this.counts.get(`${p.stream}\u0000${p.kind}\u0000${cls}`);
        out.push({
          stream: p.stream,
          kind: p.kind,
          class: cls,
          exact,
          observed: c && c.runs > 0 ? c.kept / c.runs : null,
          runs: c?.runs ?? 0,
        });
      }
    }
    return out;
  }
}

export interface ObserveOptions {
  readonly numRuns: number;
  readonly seed: number;
  readonly auditAfterNs: bigint;
  readonly synth?: Partial<SynthOptions>;
}

/**
 * Monte Carlo beside the exact figures: generates `numRuns` runs (the same ones a property check with
 * this seed starts with) and counts which kinds each stream kept.
 */
export function observeProbabilities(
  config: LoggingConfig,
  profile: Profile,
  exact: readonly KindProbability[],
  options: ObserveOptions,
): ProbabilityComparison[] {
  const tally = new ObservedTally(exact);
  const runs = fc.sample(agentRunArb(options.synth), { seed: options.seed, numRuns: options.numRuns });
  for (const run of runs) {
    tally.add(run, checkRecords(run.records, config, profile, { auditAfterNs: options.auditAfterNs }).view);
  }
  return tally.compare();
}

/** How far apart exact and observed may be: `sigmas` standard deviations of a binomial share over n runs. */
export function binomialBound(p: number, n: number, sigmas = 4.5): number {
  return n === 0 ? 1 : sigmas * Math.sqrt((p * (1 - p)) / n);
}
