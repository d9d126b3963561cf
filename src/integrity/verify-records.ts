import { CompactRange } from "./compact-range.js";
import { type Finding, type FindingKind, finding } from "./findings.js";
import { type Digest, leafDigest, sameHash } from "./hash.js";
import type { StoredSegment } from "./read-store.js";
import { diffSequences, type SequenceChange } from "./sequence-diff.js";
import { leavesFile } from "./store-layout.js";
import type { AcceptedCheckpoint } from "./verify-checkpoints.js";

export interface RecordReview {
  readonly findings: Finding[];
  /** Leaf hashes of every stored record, in log order. */
  readonly leaves: Digest[];
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

/** Segment files must tile the log: each starts where the previous one's records end. */
function reviewLayout(segments: readonly StoredSegment[]): Finding[] {
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
    expected = seg.start + (Array.isArray(seg.leaves) ? seg.leaves.length : seg.lines.length);
  }
  return findings;
}

/**
 * Judges the records against the accepted checkpoints. The verdict comes from the signed roots
 * alone; the leaf index files only explain *which* records changed, and an explanation that the
 * roots contradict is reported as a tampered index instead.
 */
export function reviewRecords(
  segments: readonly StoredSegment[],
  accepted: readonly AcceptedCheckpoint[],
): RecordReview {
  const leaves: Digest[] = [];
  const located: { file: string; line: number }[] = [];
  const expected: Digest[] = [];
  /** Absolute leaf index of each expected hash (segments may be missing, so not simply its position). */
  const expectedAt: number[] = [];
  const indexFindings: Finding[] = [];
  for (const seg of segments) {
    const actual = seg.lines.map((line, i) => {
      located.push({ file: seg.file, line: i + 1 });
      return leafDigest(line);
    });
    // A loop, not push(...actual): spreading a 100,000-record segment overflows the stack.
    for (const h of actual) leaves.push(h);
    if (!Array.isArray(seg.leaves)) {
      const why = seg.leaves && "problem" in seg.leaves ? seg.leaves.problem : "is missing";
      indexFindings.push(
        finding("modified-index", `leaf index ${why}`, { file: leavesFile(seg.start), index: seg.start }),
      );
    }
    // Without an index the segment's own records stand in: nothing to explain there, the roots decide.
    const reference = Array.isArray(seg.leaves) ? seg.leaves : actual;
    reference.forEach((h, i) => {
      expected.push(h);
      expectedAt.push(seg.start + i);
    });
  }
  const explained = diffSequences(expected, leaves).map((change) => {
    const index = expectedAt[change.expectedAt] ?? (expectedAt[expectedAt.length - 1] ?? -1) + 1;
    const atTail = change.kind === "deleted" && change.expectedAt + change.count === expected.length;
    const at = located[change.actualAt];
    const where = at ? `${at.file} line ${at.line}` : "the end of the log";
    return finding(atTail ? "truncated-tail" : CHANGE_KIND[change.kind], describe(change, index, where), {
      ...(at ? { file: at.file } : {}),
      index,
    });
  });

  const findings = reviewLayout(segments);
  const range = new CompactRange();
  let proven = 0;
  let failed: AcceptedCheckpoint | undefined;
  const sorted = [...accepted].sort((a, b) => a.checkpoint.size - b.checkpoint.size);
  for (const cp of sorted) {
    const { size, root } = cp.checkpoint;
    if (size > leaves.length) break;
    while (range.size < size) range.appendDigest(leaves[range.size]!);
    if (!sameHash(range.root(), root)) {
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
    const at = located[proven];
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
  } else if (!failed && newest && newest.checkpoint.size > leaves.length && kept.length === 0) {
    findings.push(
      finding(
        "truncated-tail",
        `checkpoint #${newest.checkpoint.seq} covers ${newest.checkpoint.size} records, the store holds ${leaves.length}`,
        {
          file: newest.file,
          index: leaves.length,
        },
      ),
    );
  }
  const covered = newest?.checkpoint.size ?? 0;
  if (leaves.length > covered) {
    findings.push(
      finding(
        "uncovered-records",
        `records ${covered}–${leaves.length - 1} are not covered by any signed checkpoint`,
        {
          ...(located[covered] ? { file: located[covered]!.file } : {}),
          index: covered,
        },
      ),
    );
  }
  return { findings, leaves };
}
