import { HASH_SIZE, isPowerOfTwo, nodeHash, sameHash } from "./hash.js";

/** Why a proof was rejected; `undefined` from the verifiers means it holds. */
export type ProofError = string;

function wellFormed(hashes: readonly Uint8Array[]): boolean {
  return hashes.every((h) => h.length === HASH_SIZE);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * RFC 9162 §2.1.3.2: verifies that `leaf` sits at `index` in the tree of `size` with root `root`.
 * Every shape check comes first, so malformed input is rejected rather than hashed.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofError | undefined {
  if (!isSize(index) || !isSize(size) || index >= size)
    return `leaf index ${index} is not below size ${size}`;
  if (!wellFormed([leaf, root, ...proof])) return `every hash must be ${HASH_SIZE} bytes`;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return "proof is longer than the path to the root";
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return "proof is shorter than the path to the root";
  return sameHash(r, root) ? undefined : "computed root differs from the expected root";
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of `size1` with `root1` is a prefix of the tree of
 * `size2` with `root2`. Equal sizes need an empty proof and equal roots; size1 = 0 is always a prefix.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofError | undefined {
  if (!isSize(size1) || !isSize(size2)) return "sizes must be non-negative integers";
  if (size2 < size1) return `size ${size2} is smaller than the earlier size ${size1}`;
  if (size1 === size2) {
    if (proof.length > 0) return "equal sizes need an empty proof";
    return sameHash(root1, root2) ? undefined : "equal sizes with different roots";
  }
  if (size1 === 0) return proof.length === 0 ? undefined : "a proof from the empty tree must be empty";
  if (proof.length === 0) return "empty proof";
  if (!wellFormed([root1, root2, ...proof])) return `every hash must be ${HASH_SIZE} bytes`;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return "proof is longer than needed";
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return "proof is shorter than needed";
  if (!sameHash(fr, root1)) return "proof does not reproduce the earlier root";
  if (!sameHash(sr, root2)) return "proof does not reproduce the later root";
  return undefined;
}
