import { CompactRange } from "./compact-range.js";
import type { VerifyResult } from "./findings.js";
import { verifyResult } from "./findings.js";
import { type Digest, HASH_SIZE, leafDigest, leafDigestsOf, toDigest } from "./hash.js";
import { packDigests } from "./packed-digests.js";
import { encodeLines } from "./record-bytes.js";
import { reviewHashedRecords } from "./verify-records.js";

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

/** Lines encoded per batch: one buffer for thousands of records, of bounded size. */
const BATCH = 4096;

/**
 * The leaf hash of each line's UTF-8 bytes. Lines are encoded a batch at a time into one buffer and
 * hashed where they lie, rather than one Buffer per line; a line holding a newline (which a record
 * line never does) is hashed on its own.
 */
export function lineDigests(lines: readonly string[]): Digest[] {
  const out: Digest[] = [];
  for (let at = 0; at < lines.length; at += BATCH) {
    const to = Math.min(at + BATCH, lines.length);
    let plain = true;
    for (let i = at; i < to && plain; i++) plain = !lines[i]!.includes("\n");
    if (!plain) {
      for (let i = at; i < to; i++) out.push(leafDigest(Buffer.from(lines[i]!)));
      continue;
    }
    const buf = encodeLines(lines, at, to);
    leafDigestsOf(buf, 1, buf.length, out);
  }
  return out;
}

/**
 * The seal's hex leaf hashes as digests: as they are when all are lowercase 64-digit hex (one round
 * trip checks them all), else each decoded on its own, as any hex would be.
 */
function digestsOf(leaves: readonly string[]): readonly Digest[] {
  const joined = leaves.join("");
  const canonical =
    leaves.every((h) => h.length === 2 * HASH_SIZE) && Buffer.from(joined, "hex").toString("hex") === joined;
  return canonical ? leaves : leaves.map((h) => toDigest(Buffer.from(h, "hex")));
}

/** Seals record lines in memory: no files, no keys, no clock. Leaf data is each line's UTF-8 bytes. */
export function sealRecords(lines: readonly string[]): Seal {
  const digests = lineDigests(lines);
  const range = new CompactRange();
  for (const leaf of digests) range.appendDigest(leaf);
  return { size: digests.length, root: range.root().toString("hex"), leaves: digests };
}

/**
 * Verifies stored record lines against a seal with the same judgement `trailcheck verify` applies
 * to a log directory: the root decides, the leaf hashes name the records that changed.
 */
export function verifySealed(lines: readonly string[], seal: Seal): VerifyResult {
  return verifySealedDigests(lineDigests(lines), seal);
}

/** verifySealed of lines whose leaf hashes the caller already has (`lineDigests` of the very lines). */
export function verifySealedDigests(digests: readonly Digest[], seal: Seal): VerifyResult {
  const segment = {
    file: "stream",
    start: 0,
    records: packDigests(digests),
    index: packDigests(digestsOf(seal.leaves)),
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
  const { findings } = reviewHashedRecords([segment], [{ file: "seal", checkpoint, text: "" }]);
  return verifyResult(findings);
}
