import fc from "fast-check";
import { analyzeConfig } from "../analyze/analyze.js";
import { deriveActions } from "../conventions/index.js";
import type { Gap } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { StoredView } from "../pipeline/index.js";
import { DEFAULTS } from "../project/defaults.js";
import { checkRecords } from "../reconstruct/check.js";
import {
  brokenBy,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  type PropertyName,
  runFacts,
} from "./_internals/violations.js";
import { agentRunArb, type SyntheticRun } from "./agent-run.js";
import { FilterCoverage } from "./coverage.js";
import type { SynthConvention, SynthOptions } from "./options.js";
import { ObservedTally, observeProbabilities, type ProbabilityComparison } from "./probabilities.js";
import { replayCommand } from "./replay-command.js";

export { PROPERTY_NAMES, PROPERTY_TITLES, type PropertyName };

export interface PropertyOptions {
  /** Generated runs to try (fast-check's `numRuns`); default 200. */
  readonly numRuns?: number;
  readonly seed: number;
  /** A counterexample path from an earlier failure: replays exactly that case (with the same seed). */
  readonly path?: string;
  /** Write every run in this convention; by default each run picks one. */
  readonly convention?: SynthConvention;
  /** How long after each run the audit happens. */
  readonly auditAfterNs: bigint;
  /** Only these properties; default all. */
  readonly properties?: readonly PropertyName[];
  /** Bounds on the generated runs; the convention above wins over `synth.convention`. */
  readonly synth?: Partial<Omit<SynthOptions, "convention">>;
  /** The flags that name the config in the replay command (default `--logging FILE`). */
  readonly source?: readonly string[];
  /** Also estimate keep probabilities from the runs (default true). */
  readonly probabilities?: boolean;
}

/** One broken property and the gaps that break it. */
export interface PropertyViolation {
  readonly property: PropertyName;
  readonly title: string;
  readonly gaps: Gap[];
}

/** The smallest run fast-check could shrink a failure to, and why it fails. */
export interface Counterexample {
  readonly run: SyntheticRun;
  readonly gaps: Gap[];
  readonly violations: PropertyViolation[];
}

/** The outcome of a property check, in the style of fast-check's `RunDetails`. */
export interface PropertiesResult {
  readonly failed: boolean;
  readonly seed: number;
  /** Runs asked for. */
  readonly numRuns: number;
  /** Runs tried before the first failure (or all of them). */
  readonly runs: number;
  readonly shrinks: number;
  /** Where the minimal counterexample sits in the run: feed it back with the seed to replay it. */
  readonly path?: string;
  readonly counterexample?: Counterexample;
  /** When trailcheck itself threw on a run (a bug, not a gap). */
  readonly error?: string;
  /** The command that replays the counterexample. */
  readonly replay?: string;
  readonly probabilities: ProbabilityComparison[];
  /**
   * The config's filters (`<stream>/filter[<index>]`) that dropped nothing in any generated run: what
   * they drop was never put to the test (see `FilterCoverage`).
   */
  readonly unexercised: string[];
}

export interface RunEvaluation {
  readonly gaps: Gap[];
  readonly violations: PropertyViolation[];
  readonly view: StoredView;
}

/** Checks one run against the config and says which properties its gaps break. Pure. */
export function evaluateRun(
  run: SyntheticRun,
  config: LoggingConfig,
  profile: Profile,
  options: { auditAfterNs: bigint; properties?: readonly PropertyName[] },
): RunEvaluation {
  const { verdicts, view } = checkRecords(run.records, config, profile, {
    auditAfterNs: options.auditAfterNs,
  });
  const gaps = verdicts.flatMap((v) => v.gaps);
  const wanted = new Set(options.properties ?? PROPERTY_NAMES);
  const facts = runFacts(deriveActions(run.records));
  const byProperty = new Map<PropertyName, Gap[]>();
  for (const gap of gaps) {
    for (const p of brokenBy(gap, facts, profile)) {
      if (!wanted.has(p)) continue;
      const list = byProperty.get(p);
      if (list) list.push(gap);
      else byProperty.set(p, [gap]);
    }
  }
  const violations = PROPERTY_NAMES.flatMap((p) => {
    const list = byProperty.get(p);
    return list ? [{ property: p, title: PROPERTY_TITLES[p], gaps: list }] : [];
  });
  return { gaps, violations, view };
}

/**
 * Generates runs, pushes each through the logging config and checks every property; on a failure,
 * fast-check shrinks the run to the smallest that still fails. Returns data (fast-check's `check()`
 * style); `assertProperties` throws instead. Pure given the seed.
 */
export function checkProperties(
  config: LoggingConfig,
  profile: Profile,
  options: PropertyOptions,
): PropertiesResult {
  const numRuns = options.numRuns ?? DEFAULTS.numRuns;
  const synth = { ...options.synth, ...(options.convention ? { convention: options.convention } : {}) };
  const exact = options.probabilities === false ? [] : analyzeConfig(config, profile).probabilities;
  const tally = new ObservedTally(exact);
  let tallying = options.probabilities !== false && options.path === undefined;
  const evaluate = (run: SyntheticRun) => evaluateRun(run, config, profile, options);
  const coverage = new FilterCoverage(config);

  const property = fc.property(agentRunArb(synth), (run) => {
    const { violations, view } = evaluate(run);
    coverage.add(view);
    if (violations.length > 0) tallying = false;
    else if (tallying) tally.add(run, view);
    return violations.length === 0;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });

  const probabilities =
    options.probabilities === false
      ? []
      : tallying
        ? tally.compare()
        : observeProbabilities(config, profile, exact, {
            numRuns,
            seed: options.seed,
            auditAfterNs: options.auditAfterNs,
            synth,
          });
  const base = {
    seed: details.seed,
    numRuns,
    runs: details.numRuns,
    shrinks: details.numShrinks,
    probabilities,
    unexercised: coverage.unexercised(),
  };
  if (!details.failed || !details.counterexample) return { ...base, failed: false };

  const [run] = details.counterexample;
  const path = details.counterexamplePath ?? undefined;
  let counterexample: Counterexample;
  let error: string | undefined;
  try {
    const { gaps, violations } = evaluate(run);
    counterexample = { run, gaps, violations };
  } catch (err) {
    counterexample = { run, gaps: [], violations: [] };
    error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  const replay =
    path === undefined
      ? undefined
      : replayCommand({
          source: options.source ?? ["--logging", "FILE"],
          seed: details.seed,
          path,
          numRuns,
          convention: options.convention,
        });
  return {
    ...base,
    failed: true,
    ...(path !== undefined ? { path } : {}),
    counterexample,
    ...(error !== undefined ? { error } : {}),
    ...(replay !== undefined ? { replay } : {}),
  };
}
