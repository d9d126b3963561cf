import type { RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import { groupRuns, type SpanRecord } from "../model/record.js";
import { type LossEvent, type StoredRecord, type StoredView, simulate } from "../pipeline/index.js";
import { compareRun, type RunComparison } from "./compare.js";

export interface CheckOptions {
  /** How long after each run the audit happens (nanoseconds). */
  readonly auditAfterNs: bigint;
}

export interface CheckResult {
  readonly verdicts: RunVerdict[];
  readonly comparisons: RunComparison[];
  readonly view: StoredView;
}

function byTrace<T>(items: readonly T[], traceOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = traceOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
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
  const view = simulate(records, config, { auditAfterNs: options.auditAfterNs });
  const stored = byTrace<StoredRecord>(view.stored, (s) => s.record.traceId);
  const losses = byTrace<LossEvent>(view.losses, (e) => e.traceId);
  const comparisons = groupRuns(records).map((run) =>
    compareRun(
      run.records,
      { stored: stored.get(run.traceId) ?? [], losses: losses.get(run.traceId) ?? [], streams: view.streams },
      profile,
      options.auditAfterNs,
    ),
  );
  const verdicts = comparisons.map((c) => ({
    traceId: c.traceId,
    reconstructable: c.gaps.length === 0,
    gaps: c.gaps,
  }));
  return { verdicts, comparisons, view };
}
