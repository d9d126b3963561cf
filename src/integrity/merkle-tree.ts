import { EMPTY_ROOT, isPowerOfTwo, nodeHash, splitPoint } from "./hash.js";

/**
 * A Merkle tree over a fixed list of leaf hashes, kept as levels of perfect subtrees so that any
 * subtree hash, inclusion proof or consistency proof costs O(log² n) hashes instead of O(n).
 * In an RFC 9162 tree every left subtree is perfect and aligned, which is what makes this work.
 */
export class MerkleTree {
  /** levels[h][j] = hash of the perfect subtree over leaves [j·2^h, (j+1)·2^h). */
  private readonly levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    this.levels = [[...leaves]];
    let level = this.levels[0]!;
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let j = 0; j + 1 < level.length; j += 2) next.push(nodeHash(level[j]!, level[j + 1]!));
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  /** MTH(D[lo:hi]) for 0 ≤ lo ≤ hi ≤ size, where lo is aligned to the subtree (always true in RFC splits). */
  hash(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n)) {
      const height = Math.round(Math.log2(n));
      const node = this.levels[height]?.[lo / n];
      if (node) return node;
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
