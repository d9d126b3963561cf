import { type Digest, EMPTY_ROOT, HASH_SIZE, hashAt, hashPrefixed, NODE } from "./hash.js";
import { countOf, type PackedDigests, putRaw } from "./packed-digests.js";

/** One entry per bit of the leaf count: enough for any tree a safe integer can count. */
const MAX_ENTRIES = 53;

/**
 * The right edge of a Merkle tree: one root per perfect subtree, largest first. Appending a leaf
 * costs one hash amortised and the root of the whole tree is O(log n) away, so the writer and the
 * verifier can produce a root at every checkpoint without keeping the tree. The roots are packed in
 * one buffer, so two neighbours are merged by hashing them where they lie: no string or array per
 * leaf, and the entries are the set bits of the leaf count, so their sizes need not be kept.
 */
export class CompactRange {
  /** Perfect-subtree roots, left to right, 32 bytes each from byte 1 on (byte 0 spare, see hashAt). */
  private readonly edge = Buffer.alloc(1 + MAX_ENTRIES * HASH_SIZE);
  /** pairs[i] = edge[i·32, i·32 + 65): the byte before entry i, entry i and entry i + 1 (made once). */
  private readonly pairs: Buffer[] = [];
  private entries = 0;
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
    putRaw(this.edge, 1 + this.entries * HASH_SIZE, leaf);
    this.grew();
  }

  /** Appends the leaf hashes packed in leaves[from, to) (counted in hashes), in order. */
  appendPacked(leaves: PackedDigests, from = 0, to = countOf(leaves)): void {
    const edge = this.edge;
    for (let i = from; i < to; i++) {
      const src = i * HASH_SIZE;
      const dst = 1 + this.entries * HASH_SIZE;
      for (let k = 0; k < HASH_SIZE; k++) edge[dst + k] = leaves[src + k]!;
      this.grew();
    }
  }

  /**
   * A leaf was written as the last entry: merge equal neighbours. The entries are the set bits of the
   * count, largest first, so a new leaf merges once per trailing zero of the new count.
   */
  private grew(): void {
    this.entries += 1;
    this.count += 1;
    for (let c = this.count; c % 2 === 0; c /= 2) {
      this.entries -= 1;
      const i = this.entries - 1;
      this.pairs[i] ??= this.edge.subarray(i * HASH_SIZE, (i + 2) * HASH_SIZE + 1);
      putRaw(this.edge, 1 + i * HASH_SIZE, hashPrefixed(this.pairs[i]!, NODE, "binary"));
    }
  }

  /** MTH of every leaf appended so far (RFC 9162 §2.1.1): the entries folded from the right. */
  root(): Buffer {
    if (this.count === 0) return EMPTY_ROOT;
    const fold = Buffer.from(this.edge.subarray(0, 1 + this.entries * HASH_SIZE));
    for (let i = this.entries - 2; i >= 0; i--) {
      const at = i * HASH_SIZE;
      putRaw(fold, at + 1, hashAt(fold, at + 1, at + 1 + 2 * HASH_SIZE, NODE, "binary"));
    }
    return Buffer.from(fold.subarray(1, 1 + HASH_SIZE));
  }
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
/** scratchPairs[j] = scratch[2j·32, 2j·32 + 65): the j-th pair of a level and the byte before it. */
const scratchPairs: Buffer[] = [];

/**
 * The last root rootOfPacked took of a run the kept buffer holds, with a copy of the leaf hashes it
 * came from. The check seals each run and then verifies it: the verifier asks for the root of the very
 * leaf hashes the seal just took it of. The answer is looked up by content (every byte compared, not
 * by which buffer), so it is the root of the bytes given whatever happened to them in between.
 */
const last = {
  size: -1,
  leaves: Buffer.allocUnsafe(SCRATCH_LEAVES * HASH_SIZE),
  root: Buffer.alloc(HASH_SIZE),
};

/**
 * MTH of the first `size` leaf hashes of a packed run (RFC 9162 §2.1.1), level by level in one
 * buffer: each pair hashed where it lies and its parent written over it, an odd last hash carried
 * up as it is. That is the same tree, since every left subtree of an RFC 9162 tree is perfect; it
 * costs a hash per inner node and no string, array or view per node (up to the kept buffer's size).
 * The same leaf hashes twice in a row (see `last`) cost one comparison the second time.
 */
export function rootOfPacked(leaves: PackedDigests, size = countOf(leaves)): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > countOf(leaves)) {
    throw new RangeError(`tree size ${size} is outside 0..${countOf(leaves)}`);
  }
  if (size === 0) return EMPTY_ROOT;
  const bytes = size * HASH_SIZE;
  const kept = size <= SCRATCH_LEAVES;
  if (kept) {
    if (size === last.size && leaves.compare(last.leaves, 0, bytes, 0, bytes) === 0) {
      return Buffer.from(last.root);
    }
    leaves.copy(last.leaves, 0, 0, bytes);
  }
  const level = kept ? scratch : Buffer.allocUnsafe(1 + bytes);
  leaves.copy(level, 1, 0, bytes);
  for (let n = size; n > 1; n = (n + 1) >> 1) {
    const pairs = n >> 1;
    for (let j = 0; j < pairs; j++) {
      const at = 2 * j * HASH_SIZE;
      if (kept) scratchPairs[j] ??= scratch.subarray(at, at + 1 + 2 * HASH_SIZE);
      const pair = kept ? scratchPairs[j]! : level.subarray(at, at + 1 + 2 * HASH_SIZE);
      putRaw(level, 1 + j * HASH_SIZE, hashPrefixed(pair, NODE, "binary"));
    }
    if (n % 2 === 1) level.copy(level, 1 + pairs * HASH_SIZE, 1 + (n - 1) * HASH_SIZE, 1 + n * HASH_SIZE);
  }
  if (kept) {
    level.copy(last.root, 0, 1, 1 + HASH_SIZE);
    last.size = size;
  }
  return Buffer.from(level.subarray(1, 1 + HASH_SIZE));
}
