import { describe, expect, it } from "vitest";
import { leafDigest, leafHash } from "./hash.js";
import { formatLeaves, parseLeaves } from "./leaves-file.js";
import { diffSequences } from "./sequence-diff.js";

const h = (s: string) => leafDigest(Buffer.from(s));
const seq = (s: string) => [...s].map(h);

describe("diffSequences", () => {
  it("names each kind of change at its expected position", () => {
    expect(diffSequences(seq("abcdef"), seq("abcdef"))).toEqual([]);
    expect(diffSequences(seq("abcdef"), seq("abXdef"))).toEqual([
      { kind: "modified", expectedAt: 2, actualAt: 2, count: 1 },
    ]);
    expect(diffSequences(seq("abcdef"), seq("abef"))).toEqual([
      { kind: "deleted", expectedAt: 2, actualAt: 2, count: 2 },
    ]);
    expect(diffSequences(seq("abcdef"), seq("abcXYdef"))).toEqual([
      { kind: "inserted", expectedAt: 3, actualAt: 3, count: 2 },
    ]);
    expect(diffSequences(seq("abcdef"), seq("abdcef"))).toEqual([
      { kind: "reordered", expectedAt: 2, actualAt: 2, count: 2 },
    ]);
    expect(diffSequences(seq("abcdef"), seq("abcd"))).toEqual([
      { kind: "deleted", expectedAt: 4, actualAt: 4, count: 2 },
    ]);
    expect(diffSequences(seq("abc"), seq("abcd"))).toEqual([
      { kind: "inserted", expectedAt: 3, actualAt: 3, count: 1 },
    ]);
  });
});

describe("leaf index files", () => {
  it("reads hex lines and says which line is bad", () => {
    const a = leafHash(Buffer.from("a")).toString("hex");
    expect(formatLeaves([h("a"), h("b")])).toBe(`${a}\n${leafHash(Buffer.from("b")).toString("hex")}\n`);
    expect(parseLeaves(formatLeaves([h("a"), h("b")]))).toEqual([h("a"), h("b")]);
    expect(parseLeaves("")).toEqual([]);
    expect(parseLeaves(`${a}\nzz\n`)).toEqual({ problem: "line 2 is not a hex SHA-256" });
    expect(parseLeaves(`${a}\n${a}`)).toEqual({ problem: "the last line is torn" });
    expect(parseLeaves(`${a}\n${a.toUpperCase()}\n`)).toEqual({ problem: "line 2 is not a hex SHA-256" });
    expect(parseLeaves(`${a}0\n${a.slice(1)}\n`)).toEqual({ problem: "line 1 is not a hex SHA-256" });
  });

  it("reads a 100,000-line index (a full segment's) without a backtracking regex over the file", () => {
    const digests = Array.from({ length: 100_000 }, (_, i) => h(String(i)));
    expect(parseLeaves(formatLeaves(digests))).toEqual(digests);
  });
});
