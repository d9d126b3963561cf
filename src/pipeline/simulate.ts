import type { LoggingConfig } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import type { KeyedLoss, KeyedStored } from "./pipeline.js";
import { type ReleasedRun, RunFeed } from "./run-feed.js";
import { sealAndVerify } from "./seal.js";
import type { SimulateOptions, StoredView } from "./types.js";

/**
 * Gathers the runs a feed releases into one stored view, ordered as the pipeline emitted it stage by
 * stage: losses by stage, then as they happened; stored records by stream, then as they reached the store.
 */
export class ViewCollector {
  private readonly losses: KeyedLoss[] = [];
  private readonly stored: KeyedStored[] = [];

  add(run: ReleasedRun): void {
    for (const l of run.output.losses) this.losses.push(l);
    for (const s of run.output.stored) this.stored.push(s);
  }

  view(feed: RunFeed): StoredView {
    const losses = this.losses.sort((a, b) => a.stage - b.stage || a.seq - b.seq).map((l) => l.loss);
    const stored = this.stored.sort((a, b) => a.stream - b.stream || a.seq - b.seq).map((s) => s.stored);
    // The whole-input view seals each stream's records in the order the store received them.
    const streams = feed.pipeline.summaries().map((s) => {
      if (!s.sealed) return s;
      return { ...s, sealed: sealAndVerify(stored.filter((r) => r.stream === s.name)) };
    });
    return { stored, losses, unknown: feed.pipeline.unknown(), streams };
  }
}

/**
 * What the logging pipeline keeps of `records`, as seen at audit time: a pure, deterministic function of
 * its inputs. Records arrive in span end order; the SDK export stage runs first (when configured), then
 * routing, then each stream's processors in order, then the stream's store.
 */
export function simulate(
  records: readonly SpanRecord[],
  config: LoggingConfig,
  options: SimulateOptions,
): StoredView {
  const collector = new ViewCollector();
  const feed = new RunFeed(config, { auditAfterNs: options.auditAfterNs }, (run) => collector.add(run));
  for (const r of records) feed.add(r);
  feed.end();
  return collector.view(feed);
}
