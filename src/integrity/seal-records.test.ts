import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactRange } from "./compact-range.js";
import { leafDigest } from "./hash.js";
import { unpackDigests } from "./packed-digests.js";
import { LineEncoder } from "./record-bytes.js";
import { packLineDigests, sealLines, sealRecords, verifyPackedSeal, verifySealed } from "./seal-records.js";

const linesArb = fc.uniqueArray(
  fc.json().map((j) => JSON.stringify({ v: j })),
  { minLength: 1, maxLength: 25 },
);

describe("sealRecords / verifySealed (the simulation's API)", () => {
  it("matches the transparency-dev root for the same leaves", () => {
    // Leaf data "" (the first test-vector leaf) as a line: MTH of one empty leaf.
    expect(sealRecords([""]).root).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  });

  it("a sealed stream verifies unchanged", () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        expect(verifySealed(lines, sealRecords(lines))).toEqual({ version: 1, valid: true, findings: [] });
      }),
    );
  });

  it("any deleted, altered or appended line fails, and is named", () => {
    fc.assert(
      fc.property(linesArb, fc.nat(), fc.constantFrom("delete", "alter", "append"), (lines, pick, how) => {
        const seal = sealRecords(lines);
        const i = pick % lines.length;
        const stored =
          how === "delete"
            ? lines.filter((_, k) => k !== i)
            : how === "alter"
              ? lines.map((l, k) => (k === i ? `${l} ` : l))
              : [...lines, "{}"];
        const result = verifySealed(stored, seal);
        expect(result.valid).toBe(false);
        const expected = {
          delete: ["deleted-record", "truncated-tail"],
          alter: ["modified-record"],
          append: ["uncovered-records"],
        }[how];
        expect(result.findings.some((f) => expected.includes(f.kind))).toBe(true);
      }),
    );
  });
});

/** Any text a line may hold, a newline too (hashed on its own), lone surrogates as well. */
const anyLinesArb = fc.array(fc.string({ unit: "binary", maxLength: 40 }), { maxLength: 20 });

describe("sealLines / verifyPackedSeal (the check's per-run form)", () => {
  it("takes the very leaf hashes and root that sealRecords gives in hex", () => {
    fc.assert(
      fc.property(anyLinesArb, (lines) => {
        const packed = sealLines(lines);
        const seal = sealRecords(lines);
        expect(unpackDigests(packed.leaves)).toEqual(seal.leaves);
        expect(seal.leaves).toEqual(lines.map((l) => leafDigest(Buffer.from(l))));
        expect(packed.root.toString("hex")).toBe(seal.root);
        expect(packed.size).toBe(seal.size);
        expect(unpackDigests(packLineDigests(lines))).toEqual(seal.leaves);
      }),
    );
  });

  it("grows a stream's log from the runs' leaves: its root is the seal of every run's lines in order", () => {
    fc.assert(
      fc.property(fc.array(anyLinesArb, { maxLength: 6 }), fc.integer({ min: 1, max: 300 }), (runs, keep) => {
        const encoder = new LineEncoder(keep);
        const log = new CompactRange();
        for (const lines of runs) {
          expect(sealLines(lines, encoder, log).root.toString("hex")).toBe(sealRecords(lines).root);
        }
        const all = sealRecords(runs.flat());
        expect(log.root().toString("hex")).toBe(all.root);
        expect(log.size).toBe(all.size);
      }),
    );
  });

  it("hashes past a batch of lines as within one", () => {
    const lines = Array.from({ length: 9000 }, (_, i) => `{"i":${i}}`);
    const leaves = packLineDigests(lines, new LineEncoder(64));
    expect(unpackDigests(leaves)).toEqual(lines.map((l) => leafDigest(Buffer.from(l))));
  });

  it("judges stored leaf hashes against the seal as verifySealed judges the lines", () => {
    fc.assert(
      fc.property(
        linesArb,
        fc.nat(),
        fc.constantFrom("keep", "delete", "alter", "append"),
        (lines, pick, how) => {
          const seal = sealLines(lines);
          const i = pick % lines.length;
          const stored =
            how === "keep"
              ? lines
              : how === "delete"
                ? lines.filter((_, k) => k !== i)
                : how === "alter"
                  ? lines.map((l, k) => (k === i ? `${l} ` : l))
                  : [...lines, "{}"];
          const result = verifyPackedSeal(packLineDigests(stored), seal);
          expect(result).toEqual(verifySealed(stored, sealRecords(lines)));
          expect(result.valid).toBe(how === "keep");
        },
      ),
    );
  });

  it("fails a seal whose own leaf hashes changed after sealing, right after the seal took its root", () => {
    // The records are the seal's own buffer, changed in place: the verifier must take the root of
    // what the buffer holds now, not the one the seal took of it a moment before.
    fc.assert(
      fc.property(linesArb, fc.nat(), fc.nat(255), (lines, pick, bit) => {
        const seal = sealLines(lines);
        expect(verifyPackedSeal(seal.leaves, seal).valid).toBe(true);
        seal.leaves[pick % seal.leaves.length]! ^= 1 << (bit % 8);
        expect(verifyPackedSeal(seal.leaves, seal).valid).toBe(false);
      }),
    );
  });
});
