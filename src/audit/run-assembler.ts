import type { SpanRecord } from "../model/record.js";

/** A run as joined from every store: its stored records and which stores held them. */
export interface AssembledRun {
  readonly traceId: string;
  readonly records: readonly SpanRecord[];
  readonly stores: readonly number[];
}

export interface AssemblerRange {
  /** Runs whose root starts before this (the baseline's start) are not counted. */
  readonly from: bigint;
  /** …nor those whose root starts at or after this (the window's end). */
  readonly to: bigint;
  readonly graceNs: bigint;
}

interface OpenRun {
  readonly traceId: string;
  readonly records: SpanRecord[];
  stores: number;
  rootStart?: bigint;
  latest: bigint;
}

/**
 * Joins spans into runs as they are read, in any order, and lets a run go as soon as no unread segment
 * can hold more of it: memory holds the runs still open, not the store. A run is done when the
 * watermark (no unread segment holds a record written before it) has passed its latest span's end by
 * `grace`, which covers export delays and late spans of other exporters — the same rule that makes a
 * rootless run incomplete rather than pending. A run whose root or earliest span starts outside
 * `[from, to)` is dropped as soon as that shows, and later spans of it with it. The ids of runs let go
 * are kept (a few dozen bytes each), so a straggler never becomes a second run.
 */
export class RunAssembler {
  /**
   * Open runs in first-seen order, with gaps where runs were let go, and each open run's place. Not a
   * `Map` of runs: V8 promotes what a long-lived `Map` holds to the old generation at the next
   * scavenge, so every run would be copied out of the young generation and left for a full collection;
   * held in an array, runs let go within a scavenge or two die young.
   */
  #runs: (OpenRun | undefined)[] = [];
  readonly #place = new Map<string, number>();
  /** Runs already let go or dropped: their late spans are ignored, not made into a new run. */
  readonly #closed = new Set<string>();
  /** Dropped runs are forgotten once no span of theirs can still come. */
  readonly #dropped = new Map<string, bigint>();
  #watermarkSeen: bigint | undefined;

  constructor(private readonly range: AssemblerRange) {}

  /** Runs held open right now, for the memory bound's figures. */
  get openRuns(): number {
    return this.#place.size;
  }

  /** Adds a record read from store number `store`; `end` is its end (unix ns). */
  add(record: SpanRecord, store: number, end: bigint): void {
    const id = record.traceId;
    if (this.#closed.has(id)) return;
    const droppedUntil = this.#dropped.get(id);
    if (droppedUntil !== undefined) {
      if (end + this.range.graceNs > droppedUntil) this.#dropped.set(id, end + this.range.graceNs);
      return;
    }
    const start = BigInt(record.start);
    // A run's root starts before every span under it: a span starting before the range rules its run out.
    if (start < this.range.from) {
      this.#drop(id, end);
      return;
    }
    const place = this.#place.get(id);
    let run = place === undefined ? undefined : this.#runs[place]!;
    if (!run) {
      run = { traceId: id, records: [], stores: 0, latest: end };
      this.#place.set(id, this.#runs.length);
      this.#runs.push(run);
    }
    run.records.push(record);
    run.stores |= 1 << Math.min(store, 30);
    if (end > run.latest) run.latest = end;
    if (record.parentSpanId === undefined && (run.rootStart === undefined || start < run.rootStart)) {
      if (start >= this.range.to) {
        this.#drop(id, run.latest);
        return;
      }
      run.rootStart = start;
    }
  }

  #drop(id: string, end: bigint): void {
    const place = this.#place.get(id);
    if (place !== undefined) {
      this.#runs[place] = undefined;
      this.#place.delete(id);
    }
    this.#dropped.set(id, end + this.range.graceNs);
  }

  /** The runs done at this watermark (unix ns; undefined: every segment has been read). */
  *release(watermark: bigint | undefined): Generator<AssembledRun> {
    if (watermark !== undefined && watermark === this.#watermarkSeen) return;
    this.#watermarkSeen = watermark;
    const runs = this.#runs;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      if (!run || (watermark !== undefined && run.latest + this.range.graceNs > watermark)) continue;
      runs[i] = undefined;
      this.#place.delete(run.traceId);
      this.#closed.add(run.traceId);
      const stores: number[] = [];
      for (let s = 0; s < 31; s++) if (run.stores & (1 << s)) stores.push(s);
      yield { traceId: run.traceId, records: run.records, stores };
    }
    this.#compact();
    if (watermark === undefined) return;
    for (const [id, until] of this.#dropped) if (until < watermark) this.#dropped.delete(id);
  }

  /** Closes the gaps once they outnumber the open runs, keeping first-seen order. */
  #compact(): void {
    if (this.#runs.length < 64 || this.#runs.length < 2 * this.#place.size) return;
    const open: OpenRun[] = [];
    for (const run of this.#runs) {
      if (!run) continue;
      this.#place.set(run.traceId, open.length);
      open.push(run);
    }
    this.#runs = open;
  }
}
