import { EMPTY_ROOT, HASH_SIZE, hashAt, isPowerOfTwo, NODE, nodeHash, splitPoint } from "./hash.js";
import { type PackedDigests, putRaw } from "./packed-digests.js";

/**
 * A Merkle tree over a fixed list of leaf hashes, kept as levels of perfect subtrees so that any
 * subtree hash, inclusion proof or consistency proof costs O(log² n) hashes instead of O(n).
 * In an RFC 9162 tree every left subtree is perfect and aligned, which is what makes this work.
 */
export class MerkleTree {
  /**
   * levels[h] packs the hashes of the perfect subtrees over leaves [j·2^h, (j+1)·2^h), 32 bytes
   * each from byte 1 on; byte 0 is spare, for hashing pairs in place (hashAt).
   */
  private levels: Buffer[];

  /** Leaves are 32-byte leaf hashes (leafHash). */
  constructor(leaves: readonly Uint8Array[]) {
    if (leaves.some((l) => l.length !== HASH_SIZE))
      throw new RangeError(`leaf hashes are ${HASH_SIZE} bytes`);
    this.levels = buildLevels(leaves);
  }

  /** A tree over leaf hashes already packed (what the verifier holds), in one run or several in order. */
  static ofPacked(leaves: PackedDigests | readonly PackedDigests[], size?: number): MerkleTree {
    const tree = new MerkleTree([]);
    tree.levels = buildLevels(Buffer.isBuffer(leaves) ? [leaves] : leaves, size);
    return tree;
  }

  get size(): number {
    return (this.levels[0]!.length - 1) / HASH_SIZE;
  }

  /** MTH(D[lo:hi]) for 0 ≤ lo ≤ hi ≤ size, where lo is aligned to the subtree (always true in RFC splits). */
  hash(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n)) {
      const level = this.levels[Math.round(Math.log2(n))];
      const at = 1 + (lo / n) * HASH_SIZE;
      if (level && at + HASH_SIZE <= level.length) return Buffer.from(level.subarray(at, at + HASH_SIZE));
    }
    const k = splitPoint(n);
    return nodeHash(this.hash(lo, lo + k), this.hash(lo + k, hi));
  }

  /** MTH of the first `size` leaves. */
  root(size: number = this.size): Buffer {
    this.checkSize(size);
    return this.hash(0, size);
  }

  /** PATH(m, D[0:size]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf up. */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.checkSize(size);
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf index ${index} is outside a tree of ${size}`);
    }
    const path: Buffer[] = [];
    this.path(index, 0, size, path);
    return path;
  }

  private path(m: number, lo: number, hi: number, out: Buffer[]): void {
    const n = hi - lo;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, lo, lo + k, out);
      out.push(this.hash(lo + k, hi));
    } else {
      this.path(m - k, lo + k, hi, out);
      out.push(this.hash(lo, lo + k));
    }
  }

  /** PROOF(m, D[0:size]) of RFC 9162 §2.1.4.1: proves the first m leaves are a prefix. */
  consistencyProof(m: number, size: number = this.size): Buffer[] {
    this.checkSize(size);
    if (!Number.isInteger(m) || m < 0 || m > size) throw new RangeError(`size ${m} is outside 0..${size}`);
    const proof: Buffer[] = [];
    if (m > 0 && m < size) this.subproof(m, 0, size, true, proof);
    return proof;
  }

  private subproof(m: number, lo: number, hi: number, complete: boolean, out: Buffer[]): void {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push(this.hash(lo, hi));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, lo, lo + k, complete, out);
      out.push(this.hash(lo + k, hi));
    } else {
      this.subproof(m - k, lo + k, hi, false, out);
      out.push(this.hash(lo, lo + k));
    }
  }

  private checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is outside 0..${this.size}`);
    }
  }
}

/**
 * Every level of perfect subtrees above the leaves, built bottom up. The leaves are copied once
 * into the first level (behind its spare byte), the first `size` of them when a size is given.
 */
function buildLevels(parts: readonly Uint8Array[], size = Number.POSITIVE_INFINITY): Buffer[] {
  const total = parts.reduce((n, part) => n + part.length, 0);
  const first = Buffer.allocUnsafe(1 + Math.min(total, size * HASH_SIZE));
  let at = 1;
  for (const part of parts) {
    if (at >= first.length) break;
    at += Buffer.from(part.buffer, part.byteOffset, part.byteLength).copy(first, at);
  }
  const levels: Buffer[] = [first];
  for (let level: Buffer = first; level.length > 1 + HASH_SIZE; ) {
    level = parentLevel(level);
    levels.push(level);
  }
  return levels;
}

/**
 * The parents of each pair of adjacent hashes of a level: each pair hashed where it lies (hashAt),
 * and written straight into the next level's buffer. Nothing per node outlives the loop.
 */
function parentLevel(level: Buffer): Buffer {
  const pairs = Math.floor((level.length - 1) / (2 * HASH_SIZE));
  const parents = Buffer.allocUnsafe(1 + pairs * HASH_SIZE);
  for (let j = 0; j < pairs; j++) {
    const at = 1 + j * 2 * HASH_SIZE;
    putRaw(parents, 1 + j * HASH_SIZE, hashAt(level, at, at + 2 * HASH_SIZE, NODE, "binary"));
  }
  return parents;
}
