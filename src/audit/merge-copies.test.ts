import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { genAiRun } from "../testing/runs.js";
import { mergeCopies } from "./merge-copies.js";

const llm = genAiRun().records.find((r) => r.kind === "llm")!;
const KEY = "gen_ai.input.messages";
const sent = String(llm.attributes[KEY]);
/** What the stream's processors left of the value in each copy of the span. */
const VALUES = {
  whole: sent,
  truncated: sent.slice(0, 20),
  digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  masked: "****",
};
const copy = (kind: keyof typeof VALUES, stream: string) => ({
  ...llm,
  stream,
  attributes: { ...llm.attributes, [KEY]: VALUES[kind] },
});

describe("mergeCopies", () => {
  it("keeps the copy's value that shows most of what was sent, whatever order the stores were read in", () => {
    const kinds = fc.subarray(Object.keys(VALUES) as (keyof typeof VALUES)[], { minLength: 2 });
    fc.assert(
      fc.property(
        kinds.chain((ks) => fc.shuffledSubarray(ks, { minLength: ks.length, maxLength: ks.length })),
        (ks) => {
          const [merged] = mergeCopies(ks.map((k, i) => copy(k, `s${i}`)));
          const best = (["whole", "truncated", "digest", "masked"] as const).find((k) => ks.includes(k))!;
          expect(merged!.attributes[KEY]).toBe(VALUES[best]);
        },
      ),
    );
  });

  it("leaves a run without copies as it is", () => {
    const records = genAiRun().records;
    expect(mergeCopies(records)).toEqual(records);
  });

  it("names the parent that leaves the tree in doubt, whatever order the copies were read in", () => {
    const run = genAiRun().records;
    const tool = run.find((r) => r.kind === "tool")!;
    const others = run.filter((r) => r !== tool);
    const parentIn = (copies: SpanRecord[]) =>
      mergeCopies([...others, ...copies]).find((r) => r.spanId === tool.spanId)!.parentSpanId;
    // Two streams' copies disagree: one names a parent no stored span has. The run's tree breaks there.
    const astray = { ...tool, parentSpanId: "ffffffffffffffff" };
    expect(parentIn([tool, astray])).toBe("ffffffffffffffff");
    expect(parentIn([astray, tool])).toBe("ffffffffffffffff");
    // A copy claiming the span is a root doesn't make it one while another copy names its parent.
    const { parentSpanId: _, ...rootless } = tool;
    expect(parentIn([rootless, tool])).toBe(tool.parentSpanId);
    expect(parentIn([tool, rootless])).toBe(tool.parentSpanId);
  });
});
