import { hash } from "node:crypto";

/** Every hash in a Merkle log is a SHA-256 digest of this many bytes. */
export const HASH_SIZE = 32;

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = hash("sha256", "", "buffer");

// One scratch buffer per prefix: copying into it and hashing once is much cheaper than the
// three native calls of createHash().update().update().digest() on small records.
let leafScratch = Buffer.alloc(4096);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

/**
 * A SHA-256 digest as 64 lowercase hex digits. The hot paths (sealing, verifying) use this form:
 * Node returns a short string far more cheaply than a new Buffer, strings compare with `===` and key
 * Maps directly, and a leaf index file is just these strings, one a line. Buffers appear only at the
 * edges.
 */
export type Digest = string;

export function toDigest(hash: Uint8Array): Digest {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("hex");
}

export function fromDigest(digest: Digest): Buffer {
  return Buffer.from(digest, "hex");
}

/**
 * Leaf hash: SHA-256(0x00 ‖ d). The 0x00 prefix keeps a leaf from ever posing as an inner node.
 * A Digest by default; "binary" gives the 32 raw bytes as a string (see hashAt).
 */
export function leafDigest(data: Uint8Array, encoding: "hex" | "binary" = "hex"): Digest {
  if (data.length + 1 > leafScratch.length) leafScratch = Buffer.alloc(2 * (data.length + 1));
  leafScratch[0] = 0x00;
  leafScratch.set(data, 1);
  return hash("sha256", leafScratch.subarray(0, data.length + 1), encoding);
}

/** The prefix that makes a hash a leaf (0x00) or an inner node (0x01), RFC 9162 §2.1.1. */
export const LEAF = 0x00;
export const NODE = 0x01;

/**
 * SHA-256(prefix ‖ buf[from, to)) hashed where the bytes lie: the byte before them (a newline, or a
 * spare byte a reader keeps in front of its buffer) is borrowed for the prefix and put back, so
 * nothing is copied first. "hex" gives a Digest; "binary" the 32 raw bytes as a string, the cheapest
 * form to write into a packed buffer. Requires from ≥ 1.
 */
export function hashAt(
  buf: Buffer,
  from: number,
  to: number,
  prefix: typeof LEAF | typeof NODE,
  encoding: "hex" | "binary",
): string {
  return hashPrefixed(buf.subarray(from - 1, to), prefix, encoding);
}

/**
 * SHA-256(prefix ‖ view[1, end)): the view's first byte is borrowed for the prefix and put back. For a
 * caller that hashes the same place again and again (a compact range's pairs) through a view it made once.
 */
export function hashPrefixed(
  view: Buffer,
  prefix: typeof LEAF | typeof NODE,
  encoding: "hex" | "binary",
): string {
  const borrowed = view[0]!;
  view[0] = prefix;
  const digest = hash("sha256", view, encoding);
  view[0] = borrowed;
  return digest;
}

/** The end of the record starting at `start`: its newline, or `to` for a last record without one. */
export function recordEnd(buf: Buffer, start: number, to: number): number {
  const nl = buf.indexOf(0x0a, start);
  return nl < 0 || nl >= to ? to : nl;
}

/** Inner node hash of two digests: SHA-256(0x01 ‖ left ‖ right). */
export function nodeDigest(left: Digest, right: Digest): Digest {
  nodeScratch.write(left, 1, HASH_SIZE, "hex");
  nodeScratch.write(right, 1 + HASH_SIZE, HASH_SIZE, "hex");
  return hash("sha256", nodeScratch, "hex");
}

/** leafDigest as a Buffer. */
export function leafHash(data: Uint8Array): Buffer {
  return fromDigest(leafDigest(data));
}

/** Inner node hash: SHA-256(0x01 ‖ left ‖ right). Children are 32-byte hashes except in known-answer tests. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return hash("sha256", Buffer.concat([nodeScratch.subarray(0, 1), left, right]), "buffer");
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash("sha256", nodeScratch, "buffer");
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** True for 1, 2, 4, 8 …; exact for every safe integer, unlike bitwise tricks that stop at 2^31. */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Constant-length comparison of two hashes; a wrong length never equals. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
