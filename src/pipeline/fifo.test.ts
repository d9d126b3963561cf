import { describe, expect, it } from "vitest";
import { allCollected } from "../testing/collected.js";
import { Fifo } from "./fifo.js";

describe("Fifo", () => {
  it("gives items back in the order they came, across the compactions of its array", () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // Three in, two out: the head passes the compaction threshold many times while items wait.
    for (let round = 0; round < 2000; round++) {
      for (let k = 0; k < 3; k++) fifo.push(next++);
      out.push(fifo.shift()!, fifo.shift()!);
    }
    expect(fifo.size).toBe(2000);
    expect(fifo.peek()).toBe(4000);
    for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: 6000 }, (_, i) => i));
    expect(fifo.size).toBe(0);
  });

  it("holds no reference to an item that has left, while the queue itself lives on", async () => {
    const fifo = new Fifo<{ n: number }>();
    // Fewer than the 1024 shifts after which the array is compacted: only emptying the place lets go.
    const passThrough = (count: number) => {
      const refs: WeakRef<object>[] = [];
      for (let n = 0; n < count; n++) {
        const item = { n };
        refs.push(new WeakRef(item));
        fifo.push(item);
      }
      for (let n = 0; n < count; n++) fifo.shift();
      return refs;
    };
    const left = passThrough(10);
    fifo.push({ n: -1 });
    expect(await allCollected(left)).toBe(true);
    expect(fifo.shift()).toEqual({ n: -1 });
  });
});
