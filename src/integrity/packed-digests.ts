import { type Digest, HASH_SIZE, hashAt, LEAF, leafDigest, recordEnd } from "./hash.js";

/**
 * Digests packed back to back, 32 raw bytes each, in one Buffer. The verifier keeps a log's leaf
 * hashes this way: a million of them are one allocation outside the JavaScript heap, which the
 * garbage collector never walks, rather than a million strings it copies on every scavenge.
 */
export type PackedDigests = Buffer;

/** How many digests a packed buffer holds. */
export function countOf(packed: PackedDigests): number {
  return packed.length / HASH_SIZE;
}

/** A packed run of digests that grows as records are hashed. */
export class DigestPacker {
  private buf: Buffer;
  private length = 0;

  /** Room for `capacity` digests to start with; it grows as needed. */
  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(HASH_SIZE * Math.max(1, capacity));
  }

  /**
   * Appends the leaf hash of every record in records[from, to): records end at each newline, and bytes
   * after the last newline are one more (torn) record. Requires from ≥ 1, see hashAt.
   */
  addLeavesOf(records: Buffer, from: number, to: number): void {
    for (let start = from; start < to; ) {
      const end = recordEnd(records, start, to);
      this.add(hashAt(records, start, end, LEAF, "binary"));
      start = end + 1;
    }
  }

  /** Appends the leaf hash of one record. */
  addLeaf(record: Uint8Array): void {
    this.add(leafDigest(record, "binary"));
  }

  /** Appends 32 raw bytes given as a binary string (hashAt's "binary" form). */
  add(raw: string): void {
    if (this.length + HASH_SIZE > this.buf.length) {
      const bigger = Buffer.allocUnsafe(2 * this.buf.length);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    putRaw(this.buf, this.length, raw);
    this.length += HASH_SIZE;
  }

  /**
   * The digests so far, in a buffer of their exact size: the packer's own when it is full (an add after
   * this moves to a new buffer, so the one returned never changes), else a copy.
   */
  finish(): PackedDigests {
    return this.length === this.buf.length ? this.buf : Buffer.from(this.buf.subarray(0, this.length));
  }
}

/**
 * Writes a digest given as a 32-character binary string (hashAt's "binary" form) at buf[at]. A plain
 * loop: for 32 bytes it costs less than Buffer#write's argument handling, and it runs once per record.
 */
export function putRaw(buf: Buffer, at: number, raw: string): void {
  for (let k = 0; k < HASH_SIZE; k++) buf[at + k] = raw.charCodeAt(k);
}

/** Hex digests packed (one decode for all of them). */
export function packDigests(digests: readonly Digest[]): PackedDigests {
  return Buffer.from(digests.join(""), "hex");
}

/** Packed digests as hex strings, for the rare paths that need them one by one. */
export function unpackDigests(packed: PackedDigests): Digest[] {
  const hex = packed.toString("hex");
  const out: Digest[] = new Array(countOf(packed));
  for (let i = 0; i < out.length; i++) out[i] = hex.slice(2 * HASH_SIZE * i, 2 * HASH_SIZE * (i + 1));
  return out;
}

/** The i-th digest of a packed run, as hex. */
export function digestAt(packed: PackedDigests, i: number): Digest {
  return packed.toString("hex", i * HASH_SIZE, (i + 1) * HASH_SIZE);
}

/** The i-th digest of a packed run as 32 raw bytes in a binary string. */
export function rawAt(packed: PackedDigests, i: number): string {
  return packed.toString("latin1", i * HASH_SIZE, (i + 1) * HASH_SIZE);
}
