import { type CompactRange, rootOfPacked } from "./compact-range.js";
import type { VerifyResult } from "./findings.js";
import { verifyResult } from "./findings.js";
import { type Digest, HASH_SIZE, hashAt, LEAF, toDigest } from "./hash.js";
import { DigestPacker, type PackedDigests, packDigests, unpackDigests } from "./packed-digests.js";
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

/** Lines encoded per batch: one buffer for thousands of records, of bounded size. */
const BATCH = 4096;

/**
 * Packs the leaf hash of each line's UTF-8 bytes. Lines are encoded a batch at a time into the
 * encoder's buffer and hashed where they lie, each by its place (so a line holding a newline is one
 * leaf too), rather than one Buffer per line.
 */
function hashLines(lines: readonly string[], encoder: LineEncoder, packer: DigestPacker): void {
  for (let at = 0; at < lines.length; at += BATCH) {
    const to = Math.min(at + BATCH, lines.length);
    const buf = encoder.encode(lines, at, to);
    for (let k = 0, start = 1; k < to - at; k++) {
      const end = encoder.endOf(k);
      packer.add(hashAt(buf, start, end, LEAF, "binary"));
      start = end + 1;
    }
  }
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
  const leaves = packer.finish();
  log?.appendPacked(leaves);
  return { size: lines.length, root: rootOfPacked(leaves), leaves };
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
