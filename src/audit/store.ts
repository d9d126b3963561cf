import type { SpanRecord } from "../model/record.js";
import type { RunFacts } from "./run-facts.js";
import type { Reason } from "./schema.js";

/**
 * One readable unit of a store: a file, a rotated backup, an object. What its name says about when its
 * records were written lets the audit skip units the window can't need and finish a run as soon as no
 * unread unit can hold more of it.
 */
export interface StoreSegment {
  /** The file or object, for messages. */
  readonly label: string;
  /** Every record in it was written at or after this time (unix ns), when known. */
  readonly writtenAfter?: bigint;
  /** Every record in it was written at or before this time (unix ns), when known. */
  readonly writtenBefore?: bigint;
  /** Records come in the order they were written (an appended file): runs can go while it is read. */
  readonly inWriteOrder?: boolean;
  /** The store's retention edge is the earliest span end in this segment (its oldest retained unit). */
  readonly edgeProbe?: boolean;
  read(): AsyncIterable<SpanRecord>;
}

/** What the audit needs to know about the times it reads. */
export interface ReadRange {
  /** The baseline's start: nothing written before it can belong to a run the audit counts. */
  readonly from: bigint;
  /** The audit's clock: records written after it are not read. */
  readonly now: bigint;
}

export interface StoreListing {
  /** The segments that can hold records of runs in the range. */
  readonly segments: readonly StoreSegment[];
  /** Segments left out because of when they were written. */
  readonly skipped: number;
  /** Nothing older than this is in the store, as its layout shows (the oldest partition). */
  readonly edge?: bigint;
  /** Reasons the store itself gives about each run read from it (a sealed log that fails verification). */
  readonly evidence?: EvidenceSource;
  /** The result of verifying the store, for the report. */
  readonly integrity?: { readonly valid: boolean; readonly findings: readonly string[] };
}

/**
 * A store of stored spans (files, objects, a sealed log): the audit reads its segments, joins spans into
 * runs by trace id across every store given, and derives each run's facts itself. A store that groups
 * runs itself (a database) would instead yield `RunFacts` directly, to the same verdict code.
 */
export interface SpanStore {
  /** The `--store` spec as given. */
  readonly spec: string;
  list(range: ReadRange): Promise<StoreListing>;
}

/**
 * Evidence about runs that their spans don't carry: a sealed store's verification, and later a
 * write-ahead ledger of tool calls. Each source adds reasons to the runs it has something to say about.
 */
export interface EvidenceSource {
  readonly name: string;
  /** A store's own evidence is asked only about runs with spans in that store. */
  reasonsFor(run: RunFacts): readonly Reason[];
}
