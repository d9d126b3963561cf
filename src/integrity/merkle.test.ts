import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rootOfLeaves, rootOfPacked } from "./compact-range.js";
import { EMPTY_ROOT, leafHash, nodeHash } from "./hash.js";
import { MerkleTree } from "./merkle-tree.js";
import { verifyConsistency, verifyInclusion } from "./proof-verify.js";

interface Vectors {
  hasher: Record<"emptyRoot" | "emptyLeaf" | "leafL123456" | "nodeN123N456", string>;
  someHash: string;
  leaves: string[];
  roots: string[];
  inclusion: { leaf: number; size: number; proof: string[] }[];
  consistency: { size1: number; size2: number; proof: string[] }[];
}

const vectors = JSON.parse(
  readFileSync(new URL("./testdata/transparency-dev-vectors.json", import.meta.url), "utf8"),
) as Vectors;
const hex = (s: string) => Buffer.from(s, "hex");
const someHash = hex(vectors.someHash);
const leafHashes = vectors.leaves.map((l) => leafHash(hex(l)));
const tree = new MerkleTree(leafHashes);
const rootAt = (size: number) => hex(vectors.roots[size - 1]!);

/** The corruption probes of transparency-dev/merkle's inclusion tests, each of which must fail. */
function inclusionProbes(index: number, size: number, proof: Buffer[], root: Buffer, leaf: Buffer) {
  const probes: [string, number, number, Buffer, Buffer[], Buffer][] = [
    ["index - 1", index - 1, size, leaf, proof, root],
    ["index + 1", index + 1, size, leaf, proof, root],
    ["index ^ 2", index ^ 2, size, leaf, proof, root],
    ["size * 2", index, size * 2, leaf, proof, root],
    ["size / 2", index, Math.floor(size / 2), leaf, proof, root],
    ["wrong leaf", index, size, Buffer.from("WrongLeaf"), proof, root],
    ["empty root", index, size, leaf, proof, EMPTY_ROOT],
    ["random root", index, size, leaf, proof, someHash],
    ["trailing garbage", index, size, leaf, [...proof, Buffer.alloc(0)], root],
    ["trailing root", index, size, leaf, [...proof, root], root],
    ["preceding garbage", index, size, leaf, [Buffer.alloc(0), ...proof], root],
    ["preceding root", index, size, leaf, [root, ...proof], root],
  ];
  proof.forEach((_, i) => {
    const wrong = proof.map((p) => Buffer.from(p));
    wrong[i]![0]! ^= 8;
    probes.push([`modified proof[${i}] bit 3`, index, size, leaf, wrong, root]);
  });
  if (proof.length > 0) probes.push(["removed component", index, size, leaf, proof.slice(0, -1), root]);
  if (proof.length > 1) {
    probes.push(["inserted component", index, size, leaf, [proof[0]!, someHash, ...proof.slice(1)], root]);
  }
  return probes;
}

/** The corruption probes of transparency-dev/merkle's consistency tests. */
function consistencyProbes(size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer) {
  const wrongRoot = Buffer.from("WrongRoot");
  const probes: [string, number, number, Buffer[], Buffer, Buffer][] = [
    ["size1 - 1", size1 - 1, size2, proof, root1, root2],
    ["size1 + 1", size1 + 1, size2, proof, root1, root2],
    ["size1 ^ 2", size1 ^ 2, size2, proof, root1, root2],
    ["size2 * 2", size1, size2 * 2, proof, root1, root2],
    ["size2 / 2", size1, Math.floor(size2 / 2), proof, root1, root2],
    ["wrong root1", size1, size2, proof, wrongRoot, root2],
    ["wrong root2", size1, size2, proof, root1, wrongRoot],
    ["swapped roots", size1, size2, proof, root2, root1],
    ["empty proof", size1, size2, [], root1, root2],
    ["trailing garbage", size1, size2, [...proof, Buffer.alloc(0)], root1, root2],
    ["trailing root1", size1, size2, [...proof, root1], root1, root2],
    ["trailing root2", size1, size2, [...proof, root2], root1, root2],
    ["preceding garbage", size1, size2, [Buffer.alloc(0), ...proof], root1, root2],
    ["preceding root1", size1, size2, [root1, ...proof], root1, root2],
    ["preceding root2", size1, size2, [root2, ...proof], root1, root2],
    ["preceding proof[0]", size1, size2, [proof[0]!, ...proof], root1, root2],
    ["truncated proof", size1, size2, proof.slice(0, -1), root1, root2],
  ];
  proof.forEach((_, i) => {
    const wrong = proof.map((p) => Buffer.from(p));
    wrong[i]![0]! ^= 16;
    probes.push([`modified proof[${i}] bit 4`, size1, size2, wrong, root1, root2]);
  });
  return probes;
}

describe("RFC 9162 hashing (known answers)", () => {
  it("hashes the empty tree, leaves and nodes as published", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe(vectors.hasher.emptyRoot);
    expect(leafHash(Buffer.alloc(0)).toString("hex")).toBe(vectors.hasher.emptyLeaf);
    expect(leafHash(Buffer.from("L123456")).toString("hex")).toBe(vectors.hasher.leafL123456);
    expect(nodeHash(Buffer.from("N123"), Buffer.from("N456")).toString("hex")).toBe(
      vectors.hasher.nodeN123N456,
    );
    const [a, b] = [leafHash(Buffer.from("Hello")), leafHash(Buffer.from("World"))];
    expect(nodeHash(a, b)).not.toEqual(nodeHash(b, a));
    expect(nodeHash(a, b)).not.toEqual(leafHash(Buffer.concat([a, b])));
  });

  it("reproduces the root of every prefix of the 8-leaf test tree", () => {
    for (let size = 1; size <= 8; size++) {
      expect(tree.root(size).toString("hex"), `size ${size}`).toBe(vectors.roots[size - 1]);
      expect(rootOfLeaves(leafHashes.slice(0, size)).toString("hex")).toBe(vectors.roots[size - 1]);
      expect(rootOfPacked(Buffer.concat(leafHashes), size).toString("hex")).toBe(vectors.roots[size - 1]);
    }
    expect(rootOfLeaves([])).toEqual(EMPTY_ROOT);
    expect(rootOfPacked(Buffer.alloc(0))).toEqual(EMPTY_ROOT);
  });
});

describe("inclusion proofs", () => {
  for (const v of vectors.inclusion) {
    const index = v.leaf - 1;
    const proof = v.proof.map(hex);
    it(`generates and verifies leaf ${index} of ${v.size}, and rejects every probe`, () => {
      expect(tree.inclusionProof(index, v.size).map((p) => p.toString("hex"))).toEqual(v.proof);
      expect(verifyInclusion(index, v.size, leafHashes[index]!, proof, rootAt(v.size))).toBeUndefined();
      const accepted = inclusionProbes(index, v.size, proof, rootAt(v.size), leafHashes[index]!)
        .filter(([, i, s, leaf, p, root]) => verifyInclusion(i, s, leaf, p, root) === undefined)
        .map(([desc]) => desc);
      expect(accepted).toEqual([]);
    });
  }

  it("rejects impossible index/size pairs whatever the hashes", () => {
    for (const [index, size] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(index, size, someHash, [], Buffer.alloc(0))).toBeDefined();
      expect(verifyInclusion(index, size, Buffer.alloc(0), [], EMPTY_ROOT)).toBeDefined();
      expect(verifyInclusion(index, size, someHash, [], EMPTY_ROOT)).toBeDefined();
    }
  });

  it("accepts a single-entry tree only with matching 32-byte hashes", () => {
    const h = leafHash(Buffer.from("data"));
    expect(verifyInclusion(0, 1, h, [], h)).toBeUndefined();
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], h)).toBeDefined();
    expect(verifyInclusion(0, 1, h, [], Buffer.alloc(0))).toBeDefined();
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], Buffer.alloc(0))).toBeDefined();
  });
});

describe("consistency proofs", () => {
  for (const v of vectors.consistency) {
    const proof = v.proof.map(hex);
    it(`generates and verifies ${v.size1} → ${v.size2}, and rejects every probe`, () => {
      expect(tree.consistencyProof(v.size1, v.size2).map((p) => p.toString("hex"))).toEqual(v.proof);
      expect(verifyConsistency(v.size1, v.size2, proof, rootAt(v.size1), rootAt(v.size2))).toBeUndefined();
      const accepted = consistencyProbes(v.size1, v.size2, proof, rootAt(v.size1), rootAt(v.size2))
        .filter(([, s1, s2, p, r1, r2]) => verifyConsistency(s1, s2, p, r1, r2) === undefined)
        .map(([desc]) => desc);
      expect(accepted).toEqual([]);
    });
  }

  it("handles the trivial and impossible size pairs like the reference", () => {
    const r1 = Buffer.from("don't care 1");
    const r2 = Buffer.from("don't care 2");
    const nonEmpty = [EMPTY_ROOT];
    const cases: [number, number, Buffer, Buffer, Buffer[], boolean][] = [
      [0, 0, r1, r2, [], false],
      [1, 1, r1, r2, [], false],
      [0, 0, r1, r1, [], true],
      [0, 1, r1, r2, [], true],
      [1, 1, r2, r2, [], true],
      [1, 0, r1, r2, [], false],
      [2, 1, r1, r2, [], false],
      [1, 2, r1, r2, [], false],
      [0, 0, EMPTY_ROOT, r2, [], false],
      [1, 1, EMPTY_ROOT, r2, [], false],
      [0, 0, EMPTY_ROOT, EMPTY_ROOT, nonEmpty, false],
      [0, 1, EMPTY_ROOT, EMPTY_ROOT, nonEmpty, false],
      [1, 1, EMPTY_ROOT, EMPTY_ROOT, nonEmpty, false],
    ];
    for (const [s1, s2, a, b, p, ok] of cases) {
      expect(verifyConsistency(s1, s2, p, a, b) === undefined, `${s1} → ${s2}`).toBe(ok);
    }
  });
});

describe("generated trees", () => {
  const leavesArb = fc.array(fc.uint8Array({ maxLength: 16 }), { minLength: 1, maxLength: 70 });

  it("every inclusion proof verifies, and fails for any other leaf index", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (data, pick) => {
        const hashes = data.map((d) => leafHash(d));
        const t = new MerkleTree(hashes);
        const index = pick % hashes.length;
        const proof = t.inclusionProof(index);
        expect(verifyInclusion(index, hashes.length, hashes[index]!, proof, t.root())).toBeUndefined();
        expect(t.root()).toEqual(rootOfLeaves(hashes));
        const other = (index + 1) % hashes.length;
        if (other !== index && !hashes[other]!.equals(hashes[index]!)) {
          expect(verifyInclusion(other, hashes.length, hashes[index]!, proof, t.root())).toBeDefined();
        }
      }),
    );
  });

  it("every consistency proof between two prefixes verifies", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (data, pick) => {
        const hashes = data.map((d) => leafHash(d));
        const t = new MerkleTree(hashes);
        const m = pick % (hashes.length + 1);
        const proof = t.consistencyProof(m);
        expect(verifyConsistency(m, hashes.length, proof, t.root(m), t.root())).toBeUndefined();
      }),
    );
  });
});
