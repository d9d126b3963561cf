import { hash } from "node:crypto";
import { type Digest, EMPTY_ROOT, HASH_SIZE } from "./hash.js";
import { putRaw } from "./packed-digests.js";

/** Scratch for an inner node: 0x01 ‖ left ‖ right. */
const node = Buffer.alloc(1 + 2 * HASH_SIZE);
node[0] = 0x01;

/**
 * The right edge of a Merkle tree: one root per perfect subtree, largest first. Appending a leaf
 * costs one hash amortised and the root of the whole tree is O(log n) away, so the writer and the
 * verifier can produce a root at every checkpoint without keeping the tree. Hashes are held as
 * 32-character binary strings, the form node's hash() returns most cheaply.
 */
export class CompactRange {
  /** Perfect-subtree roots, left to right, as binary strings. */
  private readonly hashes: string[] = [];
  /** Leaf count of each entry in `hashes`, always a power of two, strictly decreasing. */
  private readonly sizes: number[] = [];
  private count = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    this.appendRaw(leaf.toString("latin1"));
  }

  appendDigest(leaf: Digest): void {
    this.appendRaw(Buffer.from(leaf, "hex").toString("latin1"));
  }

  /** Appends a leaf hash given as 32 raw bytes in a binary string (hashAt's "binary" form). */
  appendRaw(leaf: string): void {
    let hash = leaf;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      this.sizes.pop();
      hash = nodeRaw(this.hashes.pop()!, hash);
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
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeRaw(this.hashes[i]!, root);
    return Buffer.from(root, "latin1");
  }
}

/** SHA-256(0x01 ‖ left ‖ right) of two binary-string hashes, as a binary string. */
function nodeRaw(left: string, right: string): string {
  putRaw(node, 1, left);
  putRaw(node, 1 + HASH_SIZE, right);
  return hash("sha256", node, "binary");
}

/** The root of a list of leaf hashes. */
export function rootOfLeaves(leaves: readonly Buffer[]): Buffer {
  const range = new CompactRange();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}
