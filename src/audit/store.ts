import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { AssembledRun } from "./run-assembler.js";
import type { RunFacts } from "./run-facts.js";
import type { Reason, StoreSummary, Verdict } from "./schema.js";
import type { AuditWindow } from "./window.js";

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
  /** Its records in the order stored, in batches as they are read (a line, a message, an object). */
  read(): AsyncIterable<readonly SpanRecord[]>;
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
 * runs by trace id across every store given, and derives each run's facts itself.
 */
export interface SpanStore {
  /** The `--store` spec as given. */
  readonly spec: string;
  readonly groupsRuns?: false;
  list(range: ReadRange): Promise<StoreListing>;
}

/** What the audit asks a store that groups runs itself. */
export interface GroupedAuditQuery {
  readonly window: AuditWindow;
  readonly profile: Profile;
  /** The length of the per-agent series' buckets (unix ns), counted from `window.baselineFrom`. */
  readonly bucketNs: bigint;
  /** Every run of the range goes to the audit, none is settled by the store (`--all-runs`). */
  readonly everyRun: boolean;
  /** Runs evidence beyond the store has something to say about: they go to the audit whatever the store finds. */
  readonly traceIds: ReadonlySet<string>;
}

/** Runs the store proved reconstructable, of one agent, in one bucket of the series and one period. */
export interface SettledRuns {
  readonly service: string;
  readonly agent: string;
  readonly runs: number;
  /** The latest start among them (unix ns); they all share its period and bucket. */
  readonly lastStart: bigint;
}

export interface GroupedAudit {
  /** Counted by the store: runs whose stored spans show nothing missing, per agent and bucket. */
  readonly settled: readonly SettledRuns[];
  /** The stored records of every other run of the range, for the same judging code file stores go through. */
  readonly runs: AsyncIterable<AssembledRun>;
  /** Reasons the store gives about those runs beyond their spans. */
  readonly evidence?: EvidenceSource;
  /** What the store read, for the report; complete once `runs` has been read. */
  summary(): Omit<StoreSummary, "spec" | "runs">;
}

/**
 * A store that groups runs itself (a database): it judges in its own query every run whose stored
 * spans show nothing missing and counts those per agent; only the other runs travel back, and the
 * audit judges them with the same code as runs read from files. Such a store is audited alone.
 */
export interface RunGroupingStore {
  /** The `--store` spec, without a password. */
  readonly spec: string;
  readonly groupsRuns: true;
  audit(query: GroupedAuditQuery): Promise<GroupedAudit>;
  /** `--write-results`: the verdict of every audited run of the window, stored beside the spans. */
  writeResults?(
    query: GroupedAuditQuery,
    judged: readonly JudgedRun[],
    auditedAt: Date,
  ): Promise<{ readonly table: string; readonly rows: number }>;
  /** Every stored span of one run (for `incident add --store`), wherever in time it is. */
  readRun(traceId: string, now: bigint): Promise<SpanRecord[]>;
  close(): Promise<void>;
}

/** A run the audit judged, as `--write-results` stores it. */
export interface JudgedRun {
  readonly traceId: string;
  readonly service: string;
  readonly agent: string;
  /** Unix ns. */
  readonly start: bigint;
  readonly verdict: Verdict;
  readonly reasons: readonly Reason[];
}

/** What `--store` opens. */
export type AuditStore = SpanStore | RunGroupingStore;

export function groupsRuns(store: AuditStore): store is RunGroupingStore {
  return store.groupsRuns === true;
}

/**
 * Evidence about runs that their spans don't carry: a sealed store's verification, and later a
 * write-ahead ledger of tool calls. Each source adds reasons to the runs it has something to say about.
 */
export interface EvidenceSource {
  readonly name: string;
  /** A store's own evidence is asked only about runs with spans in that store. */
  reasonsFor(run: RunFacts): readonly Reason[];
  /**
   * The runs it may have something to say about, when it can name them: a store that settles runs
   * itself sends these to the audit too. Without it, such a store sends every run.
   */
  traceIds?(): Iterable<string>;
}
