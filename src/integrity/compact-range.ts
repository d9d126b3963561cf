import { type Digest, EMPTY_ROOT, fromDigest, nodeDigest, toDigest } from "./hash.js";

/**
 * The right edge of a Merkle tree: one root per perfect subtree, largest first. Appending a leaf
 * costs one hash amortised and the root of the whole tree is O(log n) away, so the writer and the
 * verifier can produce a root at every checkpoint without keeping the tree.
 */
export class CompactRange {
  /** Perfect-subtree roots, left to right. */
  private readonly hashes: Digest[] = [];
  /** Leaf count of each entry in `hashes`, always a power of two, strictly decreasing. */
  private readonly sizes: number[] = [];
  private count = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    this.appendDigest(toDigest(leaf));
  }

  appendDigest(leaf: Digest): void {
    let hash = leaf;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      this.sizes.pop();
      hash = nodeDigest(this.hashes.pop()!, hash);
      size *= 2;
    }
    this.hashes.push(hash);
    this.sizes.push(size);
    this.count += 1;
  }

  /** MTH of every leaf appended so far (RFC 9162 §2.1.1). */
  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeDigest(this.hashes[i]!, root);
    return fromDigest(root);
  }
}

/** The root of a list of leaf hashes. */
export function rootOfLeaves(leaves: readonly Buffer[]): Buffer {
  const range = new CompactRange();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}
