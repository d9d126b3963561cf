import { type Digest, leafDigest } from "../integrity/hash.js";
import type { LogStore, StoredSegment } from "../integrity/read-store.js";
import { type LedgerRecord, parseLedgerLine } from "./records.js";

/** An incomplete or unreadable last record: what a crash mid-write leaves. */
export interface TornRecord {
  readonly file: string;
  /** Leaf index the record would have had. */
  readonly index: number;
  /** Byte offset of the record in its segment (the segment's length once it is cut). */
  readonly offset: number;
  readonly bytes: Buffer;
  readonly reason: string;
}

/** A record line in the middle of the ledger that is not a ledger record. */
export interface MalformedRecord {
  readonly file: string;
  readonly index: number;
}

export interface LedgerInspection {
  /** Every readable record, in ledger order. */
  readonly records: readonly LedgerRecord[];
  readonly torn?: TornRecord;
  readonly malformed: readonly MalformedRecord[];
  /**
   * The store as verification should see it: without the torn record, and with the last segment's
   * leaf index completed where it merely lags behind its records (the writer appends the record,
   * then its leaf, so a crash between the two leaves the index one short — not tampering).
   */
  readonly store: LogStore;
  /** The last segment's leaf index disagrees with its records only at the end: rewrite it from these. */
  readonly staleIndex?: { readonly start: number; readonly digests: readonly Digest[] };
  /** Records the last segment's index lists beyond those it holds (lost before they were synced). */
  readonly lost: number;
}

function isPrefix(short: readonly Digest[], long: readonly Digest[]): boolean {
  return short.length <= long.length && short.every((d, i) => d === long[i]);
}

/** What the file system says about the last segment, beyond its lines. */
export interface LedgerTail {
  /** Whether the last segment ends with a line end; a last line without one is torn. */
  readonly complete: boolean;
  /** Its leaf index read leniently (complete lines only), when the strict reading refused a torn last line. */
  readonly leaves?: readonly Digest[];
}

/** Reads a ledger store into records and judges its tail. Pure. */
export function inspectLedger(store: LogStore, tail: LedgerTail): LedgerInspection {
  const records: LedgerRecord[] = [];
  const malformed: MalformedRecord[] = [];
  let torn: TornRecord | undefined;
  const segments: StoredSegment[] = [...store.segments];
  const lastAt = segments.length - 1;
  segments.forEach((seg, s) => {
    seg.lines.forEach((line, i) => {
      const record = parseLedgerLine(line.toString("utf8"));
      const isLast = s === lastAt && i === seg.lines.length - 1;
      if (isLast) {
        const complete = tail.complete;
        if (!complete || !record) {
          torn = {
            file: seg.file,
            index: seg.start + i,
            offset: seg.lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0),
            bytes: line,
            reason: complete ? "its last record is not a ledger record" : "its last record has no line end",
          };
          return;
        }
      }
      if (record) records.push(record);
      else malformed.push({ file: seg.file, index: seg.start + i });
    });
  });

  const last = segments[lastAt];
  let staleIndex: LedgerInspection["staleIndex"];
  let lost = 0;
  if (last) {
    const lines = torn ? last.lines.slice(0, -1) : last.lines;
    const digests = lines.map((l) => leafDigest(l));
    const indexed = Array.isArray(last.leaves) ? last.leaves : tail.leaves;
    const lagging = indexed !== undefined && indexed.length < digests.length && isPrefix(indexed, digests);
    const ahead = indexed !== undefined && indexed.length > digests.length && isPrefix(digests, indexed);
    if (indexed === undefined || lagging || ahead || lines.length !== last.lines.length) {
      staleIndex = { start: last.start, digests };
    }
    if (ahead) lost = indexed.length - digests.length;
    segments[lastAt] = { ...last, lines, leaves: lagging ? digests : (indexed ?? last.leaves) };
  }
  return {
    records,
    ...(torn ? { torn } : {}),
    malformed,
    store: { ...store, segments },
    ...(staleIndex ? { staleIndex } : {}),
    lost,
  };
}
