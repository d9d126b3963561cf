import type { LoggingConfig } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import { ArrivalQueue } from "./arrival-queue.js";
import { MinHeap } from "./min-heap.js";
import { compareNanos } from "./order.js";
import { Pipeline, type RunOutput } from "./pipeline.js";
import { END_OF_TIME } from "./processor.js";
import { simulateSdk } from "./sdk-export.js";
import type { Sealer } from "./seal.js";
import { TraceIdSet } from "./trace-id-set.js";

export interface FeedOptions {
  /** The audit happens this long after each run's last span end. */
  readonly auditAfterNs: bigint;
  /**
   * Streaming: how far behind the latest span end seen a record may still come (in span time). Without
   * it, nothing is decided before the input ends.
   */
  readonly latenessNs?: bigint;
  /** Streaming: a run is complete once the input has moved this far past its last span end. */
  readonly runGapNs?: bigint;
  /** Where sealed streams are sealed: in this thread unless given. */
  readonly sealer?: Sealer;
}

/** A run the pipeline is done with: its truth, in input order, and what the pipeline kept of it. */
export interface ReleasedRun {
  readonly traceId: string;
  /** Its place among the runs, in the order their first record was read. */
  readonly index: number;
  readonly records: readonly SpanRecord[];
  readonly output: RunOutput;
}

/**
 * The input broke what streaming assumed: a record ended further behind the others than `latenessNs`,
 * or a run received a record after it was complete. Nothing decided so far can be trusted; the caller
 * checks the input whole instead.
 */
export class OutOfOrderInput extends Error {}

interface OpenRun {
  readonly traceId: string;
  readonly index: number;
  records: SpanRecord[];
  /** Input position of each record (for the SDK stage, which runs when the run is complete). */
  seqs: number[];
  lastEnd: string;
  complete: boolean;
  /** Records not yet pushed into the pipeline. */
  unfed: number;
  /** SDK stage: the earliest record, in arrival order, while the run is incomplete. */
  first?: Pending;
}

interface Pending {
  readonly end: string;
  readonly seq: number;
  readonly record: SpanRecord;
  readonly run: OpenRun;
}

const before = (a: Pending, b: Pending) => {
  const c = compareNanos(a.end, b.end);
  return c < 0 || (c === 0 && a.seq < b.seq);
};

/**
 * Feeds records, in the order they are read, through the pipeline in arrival (span end) order, and
 * releases each run once it is complete and every stream has decided it. Memory holds the runs still
 * open and what the processors must hold (tail sampling's buffer), not the input. Runs are released in
 * no particular order; `index` tells their input order.
 */
export class RunFeed {
  readonly pipeline: Pipeline;
  private readonly runs = new Map<string, OpenRun>();
  /** Records not yet pushed into the pipeline, by end (most are read in that order). */
  private readonly pending = new ArrivalQueue<Pending>(before);
  /** Runs by last span end, for completion (stale entries are skipped). */
  private readonly byLastEnd = new MinHeap<{ end: string; run: OpenRun }>(
    (a, b) => compareNanos(a.end, b.end) < 0,
  );
  /** SDK stage: incomplete runs by their earliest record (stale entries are skipped). */
  private readonly incomplete = new MinHeap<Pending>(before);
  private readonly released = new TraceIdSet();
  private candidates: OpenRun[] = [];
  private lastRun: OpenRun | undefined;
  private seq = 0;
  private runCount = 0;
  private maxEnd = "";
  private watermark: bigint | undefined;
  private watermarkText = "";

  constructor(
    private readonly config: LoggingConfig,
    private readonly options: FeedOptions,
    private readonly onRun: (run: ReleasedRun) => void,
  ) {
    this.pipeline = new Pipeline(config, options.sealer);
  }

  /** One record, in input order. Throws `OutOfOrderInput` when streaming can't stay exact. */
  add(record: SpanRecord): void {
    const { traceId } = record;
    // Records of a run mostly come one after another: the last run, without a lookup.
    let run =
      this.lastRun !== undefined && this.lastRun.traceId === traceId ? this.lastRun : this.runs.get(traceId);
    if (this.watermark !== undefined) {
      if (compareNanos(record.end, this.watermarkText) < 0) {
        throw new OutOfOrderInput(
          `span ${record.spanId} of trace ${traceId} ended more than ${this.options.latenessNs} ns before a span read earlier`,
        );
      }
      if (run ? run.complete : this.released.has(traceId)) {
        throw new OutOfOrderInput(
          `span ${record.spanId} of trace ${traceId} came after its run was complete`,
        );
      }
    }
    if (!run) {
      run = {
        traceId,
        index: this.runCount++,
        records: [],
        seqs: [],
        lastEnd: record.end,
        complete: false,
        unfed: 0,
      };
      this.runs.set(traceId, run);
      this.byLastEnd.push({ end: record.end, run });
    } else if (compareNanos(record.end, run.lastEnd) > 0) {
      // The run's entry in `byLastEnd` is moved on when it comes up.
      run.lastEnd = record.end;
    }
    this.lastRun = run;
    const seq = this.seq++;
    run.records.push(record);
    if (this.config.sdk) {
      run.seqs.push(seq);
      const p = { end: record.end, seq, record, run };
      if (!run.first || before(p, run.first)) {
        run.first = p;
        this.incomplete.push(p);
      }
    } else {
      this.pending.push({ end: record.end, seq, record, run });
      run.unfed++;
    }
    if (this.options.latenessNs !== undefined && compareNanos(record.end, this.maxEnd) > 0) {
      this.maxEnd = record.end;
      const watermark = BigInt(record.end) - this.options.latenessNs;
      // Span ends are never negative: below zero the watermark says nothing yet (spans ending within
      // `latenessNs` of the Unix epoch, as hand-written traces do), and its text would not compare as
      // a number in compareNanos.
      if (watermark >= 0n) {
        this.watermark = watermark;
        this.watermarkText = watermark.toString();
        this.step(watermark);
      }
    }
  }

  /** The input is over: everything is decided and every run released. */
  end(): void {
    for (const run of this.runs.values()) if (!run.complete) this.complete(run);
    this.feed(END_OF_TIME.toString());
    this.pipeline.advance(END_OF_TIME);
    this.releaseReady();
    if (this.runs.size > 0) throw new Error(`${this.runs.size} run(s) still held after the input ended`);
  }

  private step(watermark: bigint): void {
    const gap = this.options.runGapNs;
    // No run can have ended before a negative time (see add).
    if (gap !== undefined && watermark >= gap) {
      const completeBefore = (watermark - gap).toString();
      for (
        let top = this.byLastEnd.peek();
        top && compareNanos(top.end, completeBefore) < 0;
        top = this.byLastEnd.peek()
      ) {
        this.byLastEnd.pop();
        if (top.run.complete) continue;
        if (top.run.lastEnd !== top.end) this.byLastEnd.push({ end: top.run.lastEnd, run: top.run });
        else this.complete(top.run);
      }
    }
    this.feed(this.watermarkText);
    this.pipeline.advance(this.sdkBound(watermark));
    if (this.candidates.length > 0) this.releaseReady();
  }

  private complete(run: OpenRun): void {
    run.complete = true;
    this.candidates.push(run);
    const sdk = this.config.sdk;
    if (!sdk) return;
    const order = run.records.map((record, i) => ({ end: record.end, seq: run.seqs[i]!, record, run }));
    order.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const exported = simulateSdk(
      order.map((p) => p.record),
      sdk,
      this.pipeline.sdkContext,
    );
    exported.forEach((record, i) => {
      if (!record) return;
      this.pending.push({ ...order[i]!, record });
      run.unfed++;
    });
  }

  /** With an SDK stage, nothing may overtake the earliest record of a run that is not complete. */
  private earliestIncomplete(): Pending | undefined {
    for (let top = this.incomplete.peek(); top; top = this.incomplete.peek()) {
      if (!top.run.complete && top.run.first === top) return top;
      this.incomplete.pop();
    }
    return undefined;
  }

  private sdkBound(watermark: bigint): bigint {
    const first = this.config.sdk ? this.earliestIncomplete() : undefined;
    if (!first) return watermark;
    const end = BigInt(first.end);
    return end < watermark ? end : watermark;
  }

  private feed(watermark: string): void {
    const blocker = this.config.sdk ? this.earliestIncomplete() : undefined;
    for (let top = this.pending.peek(); top; top = this.pending.peek()) {
      if (compareNanos(top.end, watermark) > 0) break;
      if (blocker && !before(top, blocker)) break;
      this.pending.pop();
      top.run.unfed--;
      this.pipeline.push(top.record);
    }
  }

  private releaseReady(): void {
    const waiting: OpenRun[] = [];
    for (const run of this.candidates) {
      if (run.unfed > 0 || this.pipeline.holds(run.traceId)) {
        waiting.push(run);
        continue;
      }
      const output = this.pipeline.take(run.traceId, BigInt(run.lastEnd) + this.options.auditAfterNs);
      this.runs.delete(run.traceId);
      if (this.lastRun === run) this.lastRun = undefined;
      if (this.watermark !== undefined) this.released.add(run.traceId);
      const records = run.records;
      run.records = [];
      run.seqs = [];
      this.onRun({ traceId: run.traceId, index: run.index, records, output });
    }
    this.candidates = waiting;
  }
}
