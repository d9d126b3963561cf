import { type CompactRange, rootOfPacked } from "./compact-range.js";
import type { VerifyResult } from "./findings.js";
import { verifyResult } from "./findings.js";
import { type Digest, HASH_SIZE, hashAt, LEAF, toDigest } from "./hash.js";
import { countOf, DigestPacker, type PackedDigests, packDigests, unpackDigests } from "./packed-digests.js";
import { LineEncoder } from "./record-bytes.js";
import { reviewHashedFindings } from "./verify-records.js";

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

/** A Seal in the form the check keeps for each run it seals: no hex, the leaf hashes packed. */
export interface PackedSeal {
  readonly size: number;
  /** RFC 9162 root, 32 bytes. */
  readonly root: Buffer;
  /** Leaf hash per record, packed. */
  readonly leaves: PackedDigests;
}

/** Where each line of an encoded batch ends: a LineEncoder's last batch, or a batch sent elsewhere. */
export interface LineEnds {
  endOf(k: number): number;
}

/** Lines encoded per batch: one buffer for thousands of records, of bounded size. */
const BATCH = 4096;

/**
 * Encodes lines a batch at a time into the encoder's buffer and hands each batch to
 * `batch(buf, count)`: the k-th line of the batch ends at `encoder.endOf(k)`, the first starts at 1.
 */
export function encodeBatches(
  lines: readonly string[],
  encoder: LineEncoder,
  batch: (buf: Buffer, count: number) => void,
): void {
  for (let at = 0; at < lines.length; at += BATCH) {
    const to = Math.min(at + BATCH, lines.length);
    batch(encoder.encode(lines, at, to), to - at);
  }
}

/**
 * Packs the leaf hash of lines from..to of an encoded batch, each hashed where it lies by its place
 * (so a line holding a newline is one leaf too), rather than one Buffer per line: line k ends at
 * `ends.endOf(k)`, the first starts at `start` (≥ 1, see hashAt). Returns where the next line starts.
 */
export function packLeavesOf(
  buf: Buffer,
  ends: LineEnds,
  from: number,
  to: number,
  start: number,
  packer: DigestPacker,
): number {
  for (let k = from; k < to; k++) {
    const end = ends.endOf(k);
    packer.add(hashAt(buf, start, end, LEAF, "binary"));
    start = end + 1;
  }
  return start;
}

/** Packs the leaf hash of each line's UTF-8 bytes, encoded a batch at a time. */
function hashLines(lines: readonly string[], encoder: LineEncoder, packer: DigestPacker): void {
  encodeBatches(lines, encoder, (buf, count) => packLeavesOf(buf, encoder, 0, count, 1, packer));
}

/** A run's packed leaf hashes as its seal: the root a checkpoint would sign; `log`, when given, takes them too. */
export function sealPacked(leaves: PackedDigests, log?: CompactRange): PackedSeal {
  log?.appendPacked(leaves);
  return { size: countOf(leaves), root: rootOfPacked(leaves), leaves };
}

/** The leaf hash of each line's UTF-8 bytes, packed. */
export function packLineDigests(lines: readonly string[], encoder = new LineEncoder()): PackedDigests {
  const packer = new DigestPacker(lines.length);
  hashLines(lines, encoder, packer);
  return packer.finish();
}

/**
 * Seals record lines in memory, as the check seals each run: no files, no keys, no clock, no hex.
 * The root is computed from the very leaf hashes that are kept. `log`, when given, takes each leaf
 * too: a stream's whole log grows from the same hashes, and `encoder` is the stream's, reused.
 */
export function sealLines(
  lines: readonly string[],
  encoder = new LineEncoder(),
  log?: CompactRange,
): PackedSeal {
  const packer = new DigestPacker(lines.length);
  hashLines(lines, encoder, packer);
  return sealPacked(packer.finish(), log);
}

/** Seals record lines in memory: no files, no keys, no clock. Leaf data is each line's UTF-8 bytes. */
export function sealRecords(lines: readonly string[]): Seal {
  const { size, root, leaves } = sealLines(lines);
  return { size, root: root.toString("hex"), leaves: unpackDigests(leaves) };
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

/**
 * Verifies stored record lines against a seal with the same judgement `trailcheck verify` applies
 * to a log directory: the root decides, the leaf hashes name the records that changed.
 */
export function verifySealed(lines: readonly string[], seal: Seal): VerifyResult {
  return verifyPackedSeal(packLineDigests(lines), {
    size: seal.size,
    root: Buffer.from(seal.root, "hex"),
    leaves: packDigests(digestsOf(seal.leaves)),
  });
}

/** verifySealed of records by their leaf hashes (packLineDigests of the stored lines), against a PackedSeal. */
export function verifyPackedSeal(records: PackedDigests, seal: PackedSeal): VerifyResult {
  const segment = { file: "stream", start: 0, records, index: seal.leaves };
  const checkpoint = {
    origin: "simulation",
    size: seal.size,
    root: seal.root,
    time: new Date(0),
    seq: 1,
    cadence: { records: 0, intervalMs: 0 },
    final: true,
  };
  return verifyResult(reviewHashedFindings([segment], [{ file: "seal", checkpoint, text: "" }]));
}
