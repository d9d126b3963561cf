import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Checkpoint } from "./checkpoint.js";
import { leafHash } from "./hash.js";
import type { HashedSegment } from "./hashed-store.js";
import { MerkleTree } from "./merkle-tree.js";
import type { AcceptedCheckpoint } from "./verify-checkpoints.js";
import { reviewHashedFindings, reviewHashedRecords } from "./verify-records.js";

/** Few distinct leaves, so that deletions, insertions and reorderings show up as such. */
const LEAVES = Array.from({ length: 6 }, (_, i) => leafHash(Buffer.from(`record ${i}`)));
const packed = (picks: readonly number[]) => Buffer.concat(picks.map((p) => LEAVES[p]!));
const picksArb = fc.array(fc.nat(LEAVES.length - 1), { maxLength: 9 });

/**
 * A store as verification sees it, in every shape the tamper classes leave behind: segments that
 * tile, overlap or leave gaps; indexes that match, differ, are missing or unusable; checkpoints with
 * the true root of a prefix, a wrong root, or a size beyond the records.
 */
const storeArb = fc
  .record({
    segments: fc.array(
      fc.record({
        records: picksArb,
        index: fc.oneof(
          fc.constant<"same">("same"),
          picksArb,
          fc.constant<"missing">("missing"),
          fc.constant<"problem">("problem"),
        ),
        shift: fc.integer({ min: -2, max: 2 }),
      }),
      { maxLength: 4 },
    ),
    checkpoints: fc.array(
      fc.record({ size: fc.nat(40), honest: fc.boolean(), seq: fc.integer({ min: 1, max: 9 }) }),
      { maxLength: 4 },
    ),
  })
  .map(({ segments, checkpoints }) => {
    let start = 0;
    const hashed: HashedSegment[] = segments.map((s, i) => {
      start = Math.max(0, start + (i === 0 ? 0 : s.shift));
      const records = packed(s.records);
      const index =
        s.index === "same"
          ? records
          : s.index === "missing"
            ? undefined
            : s.index === "problem"
              ? { problem: "is not hex" }
              : packed(s.index);
      const seg = { file: `segments/${start}.jsonl`, start, records, index };
      start += s.records.length;
      return seg;
    });
    const tree = MerkleTree.ofPacked(hashed.map((s) => s.records));
    const accepted: AcceptedCheckpoint[] = checkpoints.map((c) => {
      const root = c.honest && c.size <= tree.size ? tree.root(c.size) : LEAVES[c.seq % LEAVES.length]!;
      const checkpoint: Checkpoint = {
        origin: "test",
        size: c.size,
        root,
        time: new Date(0),
        seq: c.seq,
        cadence: { records: 0, intervalMs: 0 },
        final: false,
      };
      return { file: `checkpoints/${c.seq}.cp`, checkpoint, text: "" };
    });
    return { segments: hashed, accepted };
  });

describe("reviewHashedFindings (the judgement without a tree)", () => {
  it("finds exactly what reviewHashedRecords finds, on intact and tampered stores alike", () => {
    let tampered = 0;
    fc.assert(
      fc.property(storeArb, ({ segments, accepted }) => {
        const findings = reviewHashedRecords(segments, accepted).findings;
        if (findings.length > 0) tampered++;
        expect(reviewHashedFindings(segments, accepted)).toEqual(findings);
      }),
      { numRuns: 600 },
    );
    // Both sides of the verdict were exercised.
    expect(tampered).toBeGreaterThan(100);
    expect(tampered).toBeLessThan(600);
  });

  it("proves an honest prefix and names what lies beyond it", () => {
    const records = packed([0, 1, 2, 3, 4]);
    const segments = [{ file: "segments/0.jsonl", start: 0, records, index: records }];
    const tree = MerkleTree.ofPacked(records);
    const cp = (size: number, seq: number, root = tree.root(size)): AcceptedCheckpoint => ({
      file: `checkpoints/${seq}.cp`,
      checkpoint: {
        origin: "t",
        size,
        root,
        time: new Date(0),
        seq,
        cadence: { records: 0, intervalMs: 0 },
        final: false,
      },
      text: "",
    });
    expect(reviewHashedFindings(segments, [cp(3, 1), cp(5, 2)])).toEqual([]);
    expect(reviewHashedFindings(segments, [cp(3, 1)]).map((f) => f.kind)).toEqual(["uncovered-records"]);
    expect(reviewHashedFindings(segments, [cp(3, 1), cp(5, 2, tree.root(4))])).toMatchObject([
      { kind: "modified-record", index: 3 },
    ]);
  });
});
