import { describe, expect, it } from "vitest";
import { ancestry, parentLoops } from "./ancestry.js";

const one = () => 1;

describe("ancestry", () => {
  it("counts the spans above each one, a chain 200,000 deep in linear time", () => {
    const n = 200_000;
    const parents = new Map<string, string | undefined>([["s0", undefined]]);
    for (let i = 1; i < n; i++) parents.set(`s${i}`, `s${i - 1}`);
    const { above, reach } = ancestry(parents, one);
    expect(above(`s${n - 1}`)).toBe(n - 1);
    expect(above("s0")).toBe(0);
    expect(reach("s10")).toBe(11);
  });

  it("weighs only what the caller counts; a parent outside the map ends the chain", () => {
    const parents = new Map([
      ["a", "outside"],
      ["b", "a"],
      ["c", "b"],
    ]);
    const { above, reach } = ancestry(parents, (s) => (s === "b" ? 0 : parents.has(s) ? 1 : 0));
    expect([above("a"), above("b"), above("c")]).toEqual([0, 1, 1]);
    expect(reach("outside")).toBe(0);
  });

  it("a span on a cycle has every other span of the cycle above it, wherever the walk starts", () => {
    const parents = new Map([
      ["a", "c"],
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
    ]);
    for (const start of ["a", "b", "c", "d"]) {
      const { above } = ancestry(parents, one);
      above(start);
      expect(["a", "b", "c", "d"].map(above)).toEqual([2, 2, 2, 3]);
    }
  });
});

describe("parentLoops", () => {
  const spans = (pairs: [string, string | undefined][]) =>
    new Map(pairs.map(([id, parentSpanId]) => [id, { parentSpanId }]));

  it("finds every span on a cycle and below one, and none of a tree", () => {
    expect(
      parentLoops(
        spans([
          ["root", undefined],
          ["a", "root"],
          ["b", "a"],
          ["c", "gone"],
        ]),
      ),
    ).toBeUndefined();
    // a → b → a, c under a, root and d apart; walked from any start the answer is the same
    const pairs: [string, string | undefined][] = [
      ["root", undefined],
      ["d", "root"],
      ["c", "a"],
      ["a", "b"],
      ["b", "a"],
    ];
    for (let k = 0; k < pairs.length; k++) {
      const rotated = [...pairs.slice(k), ...pairs.slice(0, k)];
      expect([...parentLoops(spans(rotated))!].sort()).toEqual(["a", "b", "c"]);
    }
    expect([
      ...parentLoops(
        spans([
          ["self", "self"],
          ["x", undefined],
        ]),
      )!,
    ]).toEqual(["self"]);
  });

  it("walks a chain 200,000 deep that ends in a cycle in linear time", () => {
    const n = 200_000;
    const pairs: [string, string | undefined][] = [["s0", `s${n - 1}`]];
    for (let i = 1; i < n; i++) pairs.push([`s${i}`, `s${i - 1}`]);
    expect(parentLoops(spans(pairs))!.size).toBe(n);
  });
});
