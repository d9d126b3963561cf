import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leafDigest } from "./hash.js";
import { DigestPacker, unpackDigests } from "./packed-digests.js";
import { encodeLines, LineEncoder } from "./record-bytes.js";

/** Lines without a newline, any text: ASCII, other BMP characters, astral ones, lone surrogates. */
const lineArb = fc.string({ unit: "binary", maxLength: 60 }).map((s) => s.replaceAll("\n", ""));
const batchArb = fc.array(lineArb, { maxLength: 12 });

describe("LineEncoder", () => {
  it("encodes every batch as encodeLines does, whatever came before it", () => {
    fc.assert(
      fc.property(
        fc.array(batchArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 400 }),
        (batches, keep) => {
          const encoder = new LineEncoder(keep);
          for (const lines of batches) {
            const fresh = Buffer.from(encodeLines(lines).subarray(1));
            expect(encoder.encode(lines).subarray(1)).toEqual(fresh);
            expect(fresh).toEqual(Buffer.from(lines.map((l) => `${l}\n`).join("")));
          }
        },
      ),
    );
  });

  it("says where each line ends, a line holding a newline too", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 30 }), { maxLength: 12 }), (lines) => {
        const encoder = new LineEncoder(64);
        const buf = encoder.encode(lines);
        let start = 1;
        lines.forEach((line, k) => {
          const end = encoder.endOf(k);
          expect(buf.subarray(start, end)).toEqual(Buffer.from(line));
          expect(buf[end]).toBe(0x0a);
          start = end + 1;
        });
        expect(start).toBe(buf.length);
      }),
    );
  });

  it("encodes a slice of the lines", () => {
    const lines = ["a", "bé", "c😀", "d"];
    expect(new LineEncoder().encode(lines, 1, 3).subarray(1).toString()).toBe("bé\nc😀\n");
  });
});

describe("DigestPacker", () => {
  it("packs the leaf hashes whatever its starting capacity, and what it gave stays as it was", () => {
    fc.assert(
      fc.property(batchArb, fc.nat(20), (lines, capacity) => {
        const packer = new DigestPacker(capacity);
        for (const l of lines) packer.addLeaf(Buffer.from(l));
        const packed = packer.finish();
        const copy = Buffer.from(packed);
        packer.addLeaf(Buffer.from("one more"));
        expect(packed).toEqual(copy);
        expect(unpackDigests(packed)).toEqual(lines.map((l) => leafDigest(Buffer.from(l))));
      }),
    );
  });
});
