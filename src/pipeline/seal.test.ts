import { describe, expect, it } from "vitest";
import { sealRecords } from "../integrity/seal-records.js";
import { span } from "../testing/records.js";
import { StreamSeal, sealAndVerify } from "./seal.js";
import type { StoredRecord } from "./types.js";

const stored = (n: number, text: string): StoredRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    record: span({ id: i + 1, attributes: { "gen_ai.prompt": `${text} ${i} é "q" 😀` } }),
    stream: "all",
    missingLinks: [],
    archived: false,
  }));
const lines = (kept: readonly StoredRecord[]) => kept.map((s) => JSON.stringify(s.record));

describe("StreamSeal", () => {
  it("seals each run as sealRecords seals its lines, and the log as the seal of every run in order", () => {
    const seal = new StreamSeal();
    const runs = [stored(3, "a"), stored(0, "b"), stored(1, "c"), stored(6, "d".repeat(5000))];
    for (const run of runs) {
      const { size, root } = sealRecords(lines(run));
      expect(seal.add(run)).toEqual({ size, root, valid: true, findings: [] });
    }
    const { size, root } = sealRecords(runs.flatMap(lines));
    expect(seal.summary()).toEqual({ size, root, valid: true, findings: [] });
  });

  it("seals a whole stream at once the same way", () => {
    const run = stored(5, "x");
    const { size, root } = sealRecords(lines(run));
    expect(sealAndVerify(run)).toEqual({ size, root, valid: true, findings: [] });
  });
});
