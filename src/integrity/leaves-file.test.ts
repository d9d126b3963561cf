import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLeaves, isLeavesOf, LeafLines, packedLeavesBytes } from "./leaves-file.js";
import { unpackDigests } from "./packed-digests.js";

const packed = fc
  .array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 })
  .map((ds) => Buffer.concat(ds));

describe("leaf index bytes", () => {
  it("are the hex lines of the digests, built from packed bytes or from binary strings alike", () => {
    fc.assert(
      fc.property(packed, fc.integer({ min: 0, max: 3 }), (digests, resets) => {
        const expected = Buffer.from(formatLeaves(unpackDigests(digests)), "latin1");
        expect(packedLeavesBytes(digests).equals(expected)).toBe(true);
        const lines = new LeafLines();
        for (let r = 0; r < resets; r++) {
          lines.add(digests.toString("latin1", 0, 32).padEnd(32, "\u00ff"));
          lines.reset();
        }
        for (let d = 0; d < digests.length; d += 32) lines.add(digests.toString("latin1", d, d + 32));
        expect(lines.count).toBe(digests.length / 32);
        expect(lines.bytes().equals(expected)).toBe(true);
      }),
    );
  });

  it("grow past their first buffer", () => {
    const lines = new LeafLines();
    const digest = "\u00ab".repeat(32);
    for (let i = 0; i < 40_000; i++) lines.add(digest);
    expect(lines.bytes().toString("latin1")).toBe(`${"ab".repeat(32)}\n`.repeat(40_000));
  });

  it("match their digests in place, and any change to a byte, a missing or an extra line does not", () => {
    fc.assert(
      fc.property(packed, fc.nat(), fc.integer({ min: 1, max: 255 }), (digests, where, delta) => {
        const bytes = packedLeavesBytes(digests);
        expect(isLeavesOf(bytes, digests)).toBe(true);
        if (bytes.length > 0) {
          const changed = Buffer.from(bytes);
          const at = where % bytes.length;
          changed[at] = (changed[at]! + delta) & 0xff;
          expect(isLeavesOf(changed, digests)).toBe(false);
          expect(isLeavesOf(bytes.subarray(0, bytes.length - 65), digests)).toBe(false);
          // Upper-case digits name the same hash but are not the index seal writes.
          expect(isLeavesOf(Buffer.from(bytes.toString("latin1").toUpperCase(), "latin1"), digests)).toBe(
            !/[a-f]/.test(bytes.toString("latin1")),
          );
        }
        expect(isLeavesOf(Buffer.concat([bytes, Buffer.from(`${"0".repeat(64)}\n`)]), digests)).toBe(false);
      }),
    );
  });
});
