import { hash } from "node:crypto";
import { type Digest, EMPTY_ROOT, HASH_SIZE, hashAt, NODE } from "./hash.js";
import { countOf, type PackedDigests, putRaw } from "./packed-digests.js";

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

/** rootOfPacked's levels, hashed in place; kept for runs of up to this many leaves. */
const SCRATCH_LEAVES = 4096;
const scratch = Buffer.allocUnsafe(1 + SCRATCH_LEAVES * HASH_SIZE);

/**
 * MTH of the first `size` leaf hashes of a packed run (RFC 9162 §2.1.1), level by level in one
 * buffer: each pair hashed where it lies and its parent written over it, an odd last hash carried
 * up as it is. That is the same tree, since every left subtree of an RFC 9162 tree is perfect; it
 * costs a hash per inner node and no string or array per leaf.
 */
export function rootOfPacked(leaves: PackedDigests, size = countOf(leaves)): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > countOf(leaves)) {
    throw new RangeError(`tree size ${size} is outside 0..${countOf(leaves)}`);
  }
  if (size === 0) return EMPTY_ROOT;
  const level = size <= SCRATCH_LEAVES ? scratch : Buffer.allocUnsafe(1 + size * HASH_SIZE);
  leaves.copy(level, 1, 0, size * HASH_SIZE);
  for (let n = size; n > 1; n = (n + 1) >> 1) {
    const pairs = n >> 1;
    for (let j = 0; j < pairs; j++) {
      const at = 1 + 2 * j * HASH_SIZE;
      putRaw(level, 1 + j * HASH_SIZE, hashAt(level, at, at + 2 * HASH_SIZE, NODE, "binary"));
    }
    if (n % 2 === 1) level.copy(level, 1 + pairs * HASH_SIZE, 1 + (n - 1) * HASH_SIZE, 1 + n * HASH_SIZE);
  }
  return Buffer.from(level.subarray(1, 1 + HASH_SIZE));
}
