import type { AssembledRun, AssemblerRange } from "./run-assembler.js";
import { RunAssembler } from "./run-assembler.js";
import type { SpanStore, StoreListing, StoreSegment } from "./store.js";

/** What reading one store found, for the report. */
export interface StoreReadStats {
  readonly spec: string;
  read: number;
  skipped: number;
  spans: number;
  /** Nothing written before this is in the store (unix ns). */
  edge?: bigint;
  readonly listing: StoreListing;
}

export interface ReadOptions extends AssemblerRange {
  /** The audit's clock: records that ended after it are not read (they were not there at `now`). */
  readonly now: bigint;
  /** Called after each segment, with the runs held open (for the memory figures). */
  readonly onSegment?: (openRuns: number) => void;
}

const NEG = -(2n ** 127n);
/** How often, in records, runs are let go while a segment is read. */
const RELEASE_EVERY = 256;
const after = (s: StoreSegment) => s.writtenAfter ?? NEG;

/**
 * Reads every store's segments merged in write order — the segment that may hold the oldest records
 * first — joining spans into runs across stores and yielding each run when no unread segment can hold
 * more of it. `stats` is filled as the stores are read.
 */
export async function* readRuns(
  stores: readonly SpanStore[],
  options: ReadOptions,
  stats: StoreReadStats[],
): AsyncGenerator<AssembledRun> {
  const queue: { segment: StoreSegment; store: number }[] = [];
  for (const [i, store] of stores.entries()) {
    const listing = await store.list({ from: options.from, now: options.now });
    stats.push({
      spec: store.spec,
      read: 0,
      skipped: listing.skipped,
      spans: 0,
      ...(listing.edge !== undefined ? { edge: listing.edge } : {}),
      listing,
    });
    for (const segment of listing.segments) queue.push({ segment, store: i });
  }
  queue.sort((a, b) => {
    const x = after(a.segment);
    const y = after(b.segment);
    if (x !== y) return x < y ? -1 : 1;
    const p = a.segment.writtenBefore;
    const q = b.segment.writtenBefore;
    return p === q ? 0 : p === undefined ? 1 : q === undefined ? -1 : p < q ? -1 : 1;
  });

  const assembler = new RunAssembler(options);
  for (let k = 0; k < queue.length; k++) {
    const { segment, store } = queue[k]!;
    const stat = stats[store]!;
    stat.read++;
    let minEnd: bigint | undefined;
    let maxEnd = NEG;
    let sinceRelease = 0;
    const next = queue[k + 1];
    const nextAfter = next ? (next.segment.writtenAfter ?? NEG) : undefined;
    for await (const batch of segment.read()) {
      stat.spans += batch.length;
      for (const record of batch) {
        const end = BigInt(record.end);
        if (end > options.now) continue;
        if (segment.edgeProbe && (minEnd === undefined || end < minEnd)) minEnd = end;
        if (end > maxEnd) maxEnd = end;
        assembler.add(record, store, end);
      }
      sinceRelease += batch.length;
      if (segment.inWriteOrder && sinceRelease >= RELEASE_EVERY) {
        sinceRelease = 0;
        // A segment is written in order: what is still unread in it was written after every span
        // end seen so far; other segments hold nothing written before the next one's lower bound.
        yield* assembler.release(nextAfter === undefined || maxEnd < nextAfter ? maxEnd : nextAfter);
      }
    }
    if (minEnd !== undefined && (stat.edge === undefined || minEnd > stat.edge)) stat.edge = minEnd;
    // Every record written before the next segment's lower bound has been read.
    yield* assembler.release(nextAfter);
    options.onSegment?.(assembler.openRuns);
  }
  if (queue.length === 0) yield* assembler.release(undefined);
}
