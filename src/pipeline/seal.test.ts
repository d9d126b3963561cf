import { describe, expect, it } from "vitest";
import { sealRecords } from "../integrity/seal-records.js";
import { span } from "../testing/records.js";
import { RunLines, StreamSeal, sealAndVerify } from "./seal.js";
import type { StoredRecord } from "./types.js";

const stored = (n: number, text: string): StoredRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    record: span({ id: i + 1, attributes: { "gen_ai.prompt": `${text} ${i} é "q" 😀` } }),
    stream: "all",
    missingLinks: [],
    archived: false,
  }));
const linesOf = (kept: readonly StoredRecord[]) => kept.map((s) => JSON.stringify(s.record));

describe("StreamSeal", () => {
  it("seals each run as sealRecords seals its lines, and the log as the seal of every run in order", () => {
    const seal = new StreamSeal();
    const runs = [stored(3, "a"), stored(0, "b"), stored(1, "c"), stored(6, "d".repeat(5000))];
    for (const run of runs) {
      const { size, root } = sealRecords(linesOf(run));
      expect(seal.add(run)).toEqual({ size, root, valid: true, findings: [] });
    }
    const { size, root } = sealRecords(runs.flatMap(linesOf));
    expect(seal.summary()).toEqual({ size, root, valid: true, findings: [] });
  });

  it("seals a whole stream at once the same way", () => {
    const run = stored(5, "x");
    const { size, root } = sealRecords(linesOf(run));
    expect(sealAndVerify(run)).toEqual({ size, root, valid: true, findings: [] });
  });

  it("seals the same with a run's lines shared between streams as without", () => {
    const runs = [stored(3, "a"), stored(0, "b"), stored(4, "c")];
    const alone = new StreamSeal();
    const first = new StreamSeal();
    const second = new StreamSeal();
    for (const run of runs) {
      const lines = new RunLines();
      const expected = alone.add(run);
      expect(first.add(run, lines)).toEqual(expected);
      // The second stream stores the same records and two of its own.
      const more = [...run, ...stored(2, "own")];
      const { size, root } = sealRecords(linesOf(more));
      expect(second.add(more, lines)).toEqual({ size, root, valid: true, findings: [] });
    }
    expect(first.summary()).toEqual(alone.summary());
  });
});

describe("RunLines", () => {
  it("stringifies each record once, however many streams ask, and gives each its own JSON", () => {
    let reads = 0;
    const make = (id: number) => {
      const record = span({ id });
      Object.defineProperty(record, "name", {
        enumerable: true,
        get: () => {
          reads += 1;
          return `span ${id}`;
        },
      });
      return record;
    };
    const a = make(1);
    const b = make(2);
    const lines = new RunLines();
    expect(lines.of(a)).toBe(JSON.stringify(a));
    reads = 0;
    for (let k = 0; k < 3; k++) {
      expect(lines.of(a)).toContain('"name":"span 1"');
      expect(lines.of(b)).toContain('"name":"span 2"');
    }
    expect(reads).toBe(1);
    // Another object with the same content is another record: stringified on its own.
    const twin = make(1);
    expect(lines.of(twin)).toBe(lines.of(a));
    expect(reads).toBe(2);
  });
});
