import { CompactRange } from "./compact-range.js";
import type { VerifyResult } from "./findings.js";
import { verifyResult } from "./findings.js";
import { fromDigest, leafDigest, toDigest } from "./hash.js";
import { reviewRecords } from "./verify-records.js";

/**
 * What the simulation keeps when a stream is sealed (`integrity: merkle-checkpoints`): the tree
 * size and root a checkpoint would sign, plus the leaf hashes that let verification say which
 * record changed. Plain data, so it can sit in a stored view and a report.
 */
export interface Seal {
  readonly size: number;
  /** RFC 9162 root, hex. */
  readonly root: string;
  /** Leaf hash per record, hex. */
  readonly leaves: readonly string[];
}

/** Seals record lines in memory: no files, no keys, no clock. Leaf data is each line's UTF-8 bytes. */
export function sealRecords(lines: readonly string[]): Seal {
  const range = new CompactRange();
  const leaves = lines.map((line) => {
    const leaf = leafDigest(Buffer.from(line));
    range.appendDigest(leaf);
    return fromDigest(leaf).toString("hex");
  });
  return { size: leaves.length, root: range.root().toString("hex"), leaves };
}

/**
 * Verifies stored record lines against a seal with the same judgement `trailcheck verify` applies
 * to a log directory: the root decides, the leaf hashes name the records that changed.
 */
export function verifySealed(lines: readonly string[], seal: Seal): VerifyResult {
  const segment = {
    file: "stream",
    start: 0,
    lines: lines.map((line) => Buffer.from(line)),
    leaves: seal.leaves.map((h) => toDigest(Buffer.from(h, "hex"))),
  };
  const checkpoint = {
    origin: "simulation",
    size: seal.size,
    root: Buffer.from(seal.root, "hex"),
    time: new Date(0),
    seq: 1,
    cadence: { records: 0, intervalMs: 0 },
    final: true,
  };
  const { findings } = reviewRecords([segment], [{ file: "seal", checkpoint, text: "" }]);
  return verifyResult(findings);
}
