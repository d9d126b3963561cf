import type { RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { StoredView } from "../pipeline/index.js";
import { type ReleasedRun, RunFeed } from "../pipeline/run-feed.js";
import { ViewCollector } from "../pipeline/simulate.js";
import { compareRun, type RunComparison, type RunView, runGaps } from "./compare.js";

export interface CheckOptions {
  /** How long after each run the audit happens (nanoseconds). */
  readonly auditAfterNs: bigint;
}

export interface CheckResult {
  readonly verdicts: RunVerdict[];
  readonly comparisons: RunComparison[];
  readonly view: StoredView;
}

/** Rebuilds one released run from what the store keeps at audit time and compares it with the truth. */
export function compareReleased(run: ReleasedRun, profile: Profile, auditAfterNs: bigint): RunComparison {
  return compareRun(run.records, viewOf(run), profile, auditAfterNs);
}

function viewOf({ output }: ReleasedRun): RunView {
  return {
    stored: output.stored.map((s) => s.stored),
    losses: output.losses.map((l) => l.loss),
    streams: output.streams,
  };
}

/** `verdictOf(compareReleased(…))` without the state of each fact, which a verdict does not hold. */
export function judgeReleased(run: ReleasedRun, profile: Profile, auditAfterNs: bigint): RunVerdict {
  return verdictOf(runGaps(run.records, viewOf(run), profile, auditAfterNs));
}

export function verdictOf(c: Pick<RunComparison, "traceId" | "gaps">): RunVerdict {
  return { traceId: c.traceId, reconstructable: c.gaps.length === 0, gaps: c.gaps };
}

/**
 * The engine: pushes every run through the logging config once, then rebuilds each run from what the
 * store keeps at audit time and compares it with the truth under the profile. Pure: same input, same gaps.
 */
export function checkRecords(
  records: readonly SpanRecord[],
  config: LoggingConfig,
  profile: Profile,
  options: CheckOptions,
): CheckResult {
  const collector = new ViewCollector();
  const comparisons: RunComparison[] = [];
  const feed = new RunFeed(config, { auditAfterNs: options.auditAfterNs }, (run) => {
    collector.add(run);
    comparisons[run.index] = compareReleased(run, profile, options.auditAfterNs);
  });
  for (const r of records) feed.add(r);
  feed.end();
  return { verdicts: comparisons.map(verdictOf), comparisons, view: collector.view(feed) };
}
