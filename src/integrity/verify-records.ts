import { CompactRange, rootOfPacked } from "./compact-range.js";
import { type Finding, type FindingKind, finding } from "./findings.js";
import { sameHash } from "./hash.js";
import { type HashedSegment, hashStore } from "./hashed-store.js";
import { MerkleTree } from "./merkle-tree.js";
import { countOf, type PackedDigests, unpackDigests } from "./packed-digests.js";
import type { StoredSegment } from "./read-store.js";
import { diffSequences, type SequenceChange } from "./sequence-diff.js";
import { leavesFile } from "./store-layout.js";
import type { AcceptedCheckpoint } from "./verify-checkpoints.js";

export interface RecordReview {
  readonly findings: Finding[];
  /** The Merkle tree over the leaf hashes of every stored record, in log order (its size: how many). */
  readonly tree: MerkleTree;
}

const CHANGE_KIND: Record<SequenceChange["kind"], FindingKind> = {
  modified: "modified-record",
  deleted: "deleted-record",
  inserted: "inserted-record",
  reordered: "reordered-records",
};

function describe(change: SequenceChange, first: number, line: string): string {
  const span = change.count === 1 ? `record ${first}` : `records ${first}–${first + change.count - 1}`;
  switch (change.kind) {
    case "modified":
      return `${span} (${line}) was modified`;
    case "deleted":
      return `${span} deleted (before ${line})`;
    case "inserted":
      return `${change.count} record(s) inserted at ${line}, before record ${first}`;
    case "reordered":
      return `${span} (from ${line}) are out of their sealed order`;
  }
}

/** How many records a segment accounts for: its index's count when it has one, else its records'. */
function segmentLength(seg: HashedSegment): number {
  return countOf(usableIndex(seg.index) ? seg.index : seg.records);
}

function usableIndex(index: HashedSegment["index"]): index is PackedDigests {
  return Buffer.isBuffer(index);
}

/** The leaf index just past the last expected record (0 when none is expected). */
function expectedEnd(segments: readonly HashedSegment[]): number {
  for (let i = segments.length - 1; i >= 0; i--) {
    const length = segmentLength(segments[i]!);
    if (length > 0) return segments[i]!.start + length;
  }
  return 0;
}

/** Segment files must tile the log: each starts where the previous one's records end. */
function reviewLayout(segments: readonly HashedSegment[]): Finding[] {
  const findings: Finding[] = [];
  let expected = 0;
  for (const seg of segments) {
    if (seg.start > expected) {
      findings.push(
        finding(
          "deleted-segment",
          `records ${expected}–${seg.start - 1} are missing: a segment was deleted`,
          {
            file: seg.file,
            index: expected,
          },
        ),
      );
    } else if (seg.start < expected) {
      findings.push(
        finding(
          "inserted-record",
          `starts at record ${seg.start} but the previous segment ends at ${expected}`,
          {
            file: seg.file,
            index: seg.start,
          },
        ),
      );
    }
    expected = seg.start + segmentLength(seg);
  }
  return findings;
}

/**
 * Which segment each position of a concatenated sequence comes from: one entry per segment rather
 * than one per record.
 */
class Tiling {
  private readonly offsets: number[] = [];
  private readonly segments: HashedSegment[] = [];

  add(offset: number, segment: HashedSegment): void {
    this.offsets.push(offset);
    this.segments.push(segment);
  }

  /** The segment holding position k (0 ≤ k < the sequence's length) and k's place inside it. */
  find(k: number): { segment: HashedSegment; within: number } {
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= k) lo = mid;
      else hi = mid - 1;
    }
    return { segment: this.segments[lo]!, within: k - this.offsets[lo]! };
  }
}

/**
 * Judges the records against the accepted checkpoints. The verdict comes from the signed roots
 * alone; the leaf index files only explain *which* records changed, and an explanation that the
 * roots contradict is reported as a tampered index instead.
 */
export function reviewHashedRecords(
  segments: readonly HashedSegment[],
  accepted: readonly AcceptedCheckpoint[],
): RecordReview {
  const tree = MerkleTree.ofPacked(segments.map((seg) => seg.records));
  return { findings: judgeRecords(segments, accepted, (size) => tree.root(size)), tree };
}

/**
 * reviewHashedRecords' findings without its tree, for a caller that judges many small logs and needs
 * no proofs (the check verifies every run it seals): each checkpoint's root is taken with a compact
 * range over the stored leaf hashes, grown from one checkpoint's size to the next (a lone checkpoint's
 * straight from the packed leaves).
 */
export function reviewHashedFindings(
  segments: readonly HashedSegment[],
  accepted: readonly AcceptedCheckpoint[],
): Finding[] {
  const records =
    segments.length === 1 ? segments[0]!.records : Buffer.concat(segments.map((s) => s.records));
  // One checkpoint (what each run the check seals has): its root straight from the packed leaves.
  if (accepted.length === 1) return judgeRecords(segments, accepted, (size) => rootOfPacked(records, size));
  const range = new CompactRange();
  return judgeRecords(segments, accepted, (size) => {
    range.appendPacked(records, range.size, size);
    return range.root();
  });
}

/**
 * The judgement itself. `rootAt(size)` is the root of the first `size` stored leaf hashes; it is asked
 * for sizes in increasing order, none beyond the number of stored records.
 */
function judgeRecords(
  segments: readonly HashedSegment[],
  accepted: readonly AcceptedCheckpoint[],
  rootAt: (size: number) => Uint8Array,
): Finding[] {
  const actualTiling = new Tiling();
  const expectedTiling = new Tiling();
  const indexFindings: Finding[] = [];
  let actualCount = 0;
  let expectedCount = 0;
  for (const seg of segments) {
    actualTiling.add(actualCount, seg);
    expectedTiling.add(expectedCount, seg);
    actualCount += countOf(seg.records);
    expectedCount += segmentLength(seg);
    if (!usableIndex(seg.index)) {
      const why = seg.index && "problem" in seg.index ? seg.index.problem : "is missing";
      indexFindings.push(
        finding("modified-index", `leaf index ${why}`, { file: leavesFile(seg.start), index: seg.start }),
      );
    }
  }
  // Without an index the segment's own records stand in: nothing to explain there, the roots decide.
  const references = segments.map((seg) => (usableIndex(seg.index) ? seg.index : seg.records));
  /** Absolute leaf index of an expected hash (segments may be missing, so not simply its position). */
  const expectedAt = (k: number): number => {
    if (k >= expectedCount) return expectedEnd(segments);
    const { segment, within } = expectedTiling.find(k);
    return segment.start + within;
  };
  const located = (k: number): { file: string; line: number } | undefined => {
    if (k >= actualCount) return undefined;
    const { segment, within } = actualTiling.find(k);
    return { file: segment.file, line: within + 1 };
  };
  // The usual case, an intact log, is one comparison per segment (none where the reader found the index
  // equal to the records); only a difference unpacks the hashes to explain it.
  const intact = segments.every(
    (seg, i) => references[i] === seg.records || references[i]!.equals(seg.records),
  );
  const changes = intact
    ? []
    : diffSequences(
        unpackDigests(Buffer.concat(references)),
        unpackDigests(Buffer.concat(segments.map((seg) => seg.records))),
      );
  const explained = changes.map((change) => {
    const index = expectedAt(change.expectedAt);
    const atTail = change.kind === "deleted" && change.expectedAt + change.count === expectedCount;
    const at = located(change.actualAt);
    const where = at ? `${at.file} line ${at.line}` : "the end of the log";
    return finding(atTail ? "truncated-tail" : CHANGE_KIND[change.kind], describe(change, index, where), {
      ...(at ? { file: at.file } : {}),
      index,
    });
  });

  const findings = reviewLayout(segments);
  let proven = 0;
  let failed: AcceptedCheckpoint | undefined;
  const sorted = [...accepted].sort((a, b) => a.checkpoint.size - b.checkpoint.size);
  for (const cp of sorted) {
    const { size, root } = cp.checkpoint;
    if (size > actualCount) break;
    if (!sameHash(rootAt(size), root)) {
      failed = cp;
      break;
    }
    proven = size;
  }

  // Index explanations inside the proven prefix contradict the signed roots: the index was edited.
  const kept = explained.filter((f) => (f.index ?? 0) >= proven);
  const contradicted = explained.length - kept.length;
  if (contradicted > 0) {
    findings.push(
      finding(
        "modified-index",
        `${contradicted} leaf index entr(ies) disagree with records the signed checkpoints prove`,
      ),
    );
  }
  for (const f of kept) findings.push(f);
  for (const f of indexFindings) findings.push(f);

  const newest = sorted[sorted.length - 1];
  if (failed && kept.length === 0 && findings.every((f) => f.kind === "modified-index")) {
    const at = located(proven);
    findings.push(
      finding(
        "modified-record",
        `records ${proven}–${failed.checkpoint.size - 1} do not match signed checkpoint #${failed.checkpoint.seq}`,
        {
          ...(at ? { file: at.file } : {}),
          index: proven,
        },
      ),
    );
  } else if (!failed && newest && newest.checkpoint.size > actualCount && kept.length === 0) {
    findings.push(
      finding(
        "truncated-tail",
        `checkpoint #${newest.checkpoint.seq} covers ${newest.checkpoint.size} records, the store holds ${actualCount}`,
        {
          file: newest.file,
          index: actualCount,
        },
      ),
    );
  }
  const covered = newest?.checkpoint.size ?? 0;
  if (actualCount > covered) {
    findings.push(
      finding(
        "uncovered-records",
        `records ${covered}–${actualCount - 1} are not covered by any signed checkpoint`,
        {
          ...(covered < actualCount ? { file: located(covered)!.file } : {}),
          index: covered,
        },
      ),
    );
  }
  return findings;
}

/** reviewHashedRecords for segments read with their records (readLogStore). */
export function reviewRecords(
  segments: readonly StoredSegment[],
  accepted: readonly AcceptedCheckpoint[],
): RecordReview {
  return reviewHashedRecords(hashStore({ segments, checkpoints: [], unexpected: [] }).segments, accepted);
}
