import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactRange, rootOfPacked } from "./compact-range.js";
import { leafHash } from "./hash.js";
import { MerkleTree } from "./merkle-tree.js";
import { rawAt } from "./packed-digests.js";

const packedLeaves = (n: number, seed: number) =>
  Buffer.concat(Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${seed}:${i}`))));

describe("rootOfPacked", () => {
  it("is the root of the tree over the first `size` leaves, as MerkleTree and CompactRange have it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.nat(), (n, pick, seed) => {
        const leaves = packedLeaves(n, seed);
        const size = n === 0 ? 0 : pick % (n + 1);
        const tree = MerkleTree.ofPacked(leaves);
        expect(rootOfPacked(leaves, size)).toEqual(tree.root(size));
        expect(rootOfPacked(leaves)).toEqual(tree.root());
        const range = new CompactRange();
        for (let i = 0; i < size; i++) range.appendRaw(rawAt(leaves, i));
        expect(rootOfPacked(leaves, size)).toEqual(range.root());
      }),
      { numRuns: 200 },
    );
  });

  it("takes runs longer than its kept buffer, and leaves a later short one unharmed", () => {
    const long = packedLeaves(5000, 1);
    const tree = MerkleTree.ofPacked(long);
    for (const size of [4095, 4096, 4097, 5000]) expect(rootOfPacked(long, size)).toEqual(tree.root(size));
    const short = packedLeaves(3, 2);
    expect(rootOfPacked(short)).toEqual(MerkleTree.ofPacked(short).root());
  });

  it("refuses a size the leaves don't reach", () => {
    expect(() => rootOfPacked(packedLeaves(2, 0), 3)).toThrow(RangeError);
    expect(() => rootOfPacked(packedLeaves(2, 0), -1)).toThrow(RangeError);
    expect(() => rootOfPacked(packedLeaves(2, 0), 1.5)).toThrow(RangeError);
  });
});
