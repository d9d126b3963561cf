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

  it("knows a run by its bytes, not its buffer: changed in place it has the new root", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), fc.nat(255), (n, seed, pick, bit) => {
        const leaves = packedLeaves(n, seed);
        const before = rootOfPacked(leaves);
        expect(rootOfPacked(leaves)).toEqual(before);
        expect(rootOfPacked(Buffer.from(leaves))).toEqual(before);
        // One byte of one leaf hash changed where it lies: the same buffer, other bytes.
        const at = pick % leaves.length;
        leaves[at]! ^= 1 << (bit % 8);
        const after = rootOfPacked(leaves);
        expect(after).toEqual(MerkleTree.ofPacked(leaves).root());
        expect(after).not.toEqual(before);
        // A shorter prefix of the same bytes is another tree.
        if (n > 1) expect(rootOfPacked(leaves, n - 1)).toEqual(MerkleTree.ofPacked(leaves).root(n - 1));
      }),
      { numRuns: 200 },
    );
  });

  it("hands out a root of its own each time: changing one leaves the next answer right", () => {
    const leaves = packedLeaves(7, 3);
    const first = rootOfPacked(leaves);
    first.fill(0);
    expect(rootOfPacked(leaves)).toEqual(MerkleTree.ofPacked(leaves).root());
  });

  it("refuses a size the leaves don't reach", () => {
    expect(() => rootOfPacked(packedLeaves(2, 0), 3)).toThrow(RangeError);
    expect(() => rootOfPacked(packedLeaves(2, 0), -1)).toThrow(RangeError);
    expect(() => rootOfPacked(packedLeaves(2, 0), 1.5)).toThrow(RangeError);
  });
});

describe("CompactRange", () => {
  it("appendPacked, in any chunks, grows the range as appending the leaves one by one does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }),
        (n, seed, cuts) => {
          const leaves = packedLeaves(n, seed);
          const tree = MerkleTree.ofPacked(leaves);
          const one = new CompactRange();
          const chunked = new CompactRange();
          let at = 0;
          for (const cut of [...cuts, n]) {
            const to = Math.min(n, at + cut);
            chunked.appendPacked(leaves, at, to);
            for (; one.size < to; ) one.appendRaw(rawAt(leaves, one.size));
            expect(chunked.size).toBe(to);
            expect(chunked.root()).toEqual(one.root());
            expect(chunked.root()).toEqual(tree.root(to));
            at = to;
          }
          expect(chunked.root()).toEqual(tree.root());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("takes leaves in every form it offers alike", () => {
    const leaves = packedLeaves(37, 9);
    const forms = [new CompactRange(), new CompactRange(), new CompactRange(), new CompactRange()];
    for (let i = 0; i < 37; i++) {
      const leaf = leaves.subarray(i * 32, (i + 1) * 32);
      forms[0]!.append(Buffer.from(leaf));
      forms[1]!.appendDigest(leaf.toString("hex"));
      forms[2]!.appendRaw(leaf.toString("latin1"));
      forms[3]!.appendPacked(leaves, i, i + 1);
      const root = MerkleTree.ofPacked(leaves).root(i + 1);
      for (const range of forms) expect(range.root()).toEqual(root);
    }
  });
});
