import type { RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { StreamSummary, UnknownConstruct } from "../pipeline/index.js";
import { RunFeed } from "../pipeline/run-feed.js";
import { type Sealer, SealsFailed } from "../pipeline/seal.js";
import { type CheckOptions, judgeReleased } from "./check.js";

export interface StreamCheckOptions extends CheckOptions {
  /** How far behind the latest span end read so far a span may still come (span time, ns). */
  readonly latenessNs?: bigint;
  /** A run is complete once the input has moved this far past its last span end (span time, ns). */
  readonly runGapNs?: bigint;
  /**
   * Where sealed streams are sealed: in this thread unless given. With a sealer that seals elsewhere,
   * the verdicts handed out are void if the check throws SealsFailed (see Sealer).
   */
  readonly sealer?: Sealer;
}

export interface StreamCheckResult {
  readonly runs: number;
  readonly unknown: UnknownConstruct[];
  readonly streams: StreamSummary[];
}

/** A collector file export is written as spans reach the collector: end order, give or take batching. */
export const DEFAULT_LATENESS_NS = 60_000_000_000n;
/** Agent runs rarely go ten minutes without a span ending. */
export const DEFAULT_RUN_GAP_NS = 600_000_000_000n;

/**
 * `checkRecords` as records are read: each run is compared and forgotten once it is complete and every
 * stream has decided it, and `onVerdict` receives the verdicts in the order the runs were first read.
 * Memory holds the runs still open and what the pipeline itself must hold, not the input. When the input
 * is not in span end order closely enough to stay exact, it throws `OutOfOrderInput` before any
 * verdict could be wrong; the caller then checks the input whole. Records come one at a time or in
 * batches as they were read (`readRecordBatches`).
 */
export async function checkStream(
  records: AsyncIterable<SpanRecord | readonly SpanRecord[]>,
  config: LoggingConfig,
  profile: Profile,
  options: StreamCheckOptions,
  onVerdict: (verdict: RunVerdict) => void,
): Promise<StreamCheckResult> {
  const waiting = new Map<number, RunVerdict>();
  let next = 0;
  const feed = new RunFeed(
    config,
    {
      auditAfterNs: options.auditAfterNs,
      latenessNs: options.latenessNs ?? DEFAULT_LATENESS_NS,
      runGapNs: options.runGapNs ?? DEFAULT_RUN_GAP_NS,
      ...(options.sealer ? { sealer: options.sealer } : {}),
    },
    (run) => {
      waiting.set(run.index, judgeReleased(run, profile, options.auditAfterNs));
      for (let v = waiting.get(next); v !== undefined; v = waiting.get(next)) {
        waiting.delete(next++);
        onVerdict(v);
      }
    },
  );
  const settle = options.sealer?.settle?.bind(options.sealer);
  for await (const item of records) {
    if (!isBatch(item)) feed.add(item);
    else for (const record of item) feed.add(record);
    if (settle) {
      // What the sealer has in hand stays bounded.
      const wait = settle(false);
      if (wait) await wait;
    }
  }
  feed.end();
  if (settle) await settle(true);
  const streams = feed.pipeline.summaries();
  if (settle) {
    const failed = streams.filter((s) => s.sealed && !s.sealed.valid).map((s) => s.name);
    if (failed.length > 0) throw new SealsFailed(`the sealed log of ${failed.join(", ")} fails verification`);
  }
  return { runs: next, unknown: feed.pipeline.unknown(), streams };
}

function isBatch(item: SpanRecord | readonly SpanRecord[]): item is readonly SpanRecord[] {
  return Array.isArray(item);
}
