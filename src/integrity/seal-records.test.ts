import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sealRecords, verifySealed } from "./index.js";

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
