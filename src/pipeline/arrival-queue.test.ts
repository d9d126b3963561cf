import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrivalQueue } from "./arrival-queue.js";
import { MinHeap } from "./min-heap.js";

interface Item {
  readonly end: number;
  readonly seq: number;
}

const before = (a: Item, b: Item) => a.end < b.end || (a.end === b.end && a.seq < b.seq);

// Ends that mostly rise, as a file export's do, with some read late (a step back) and some ties.
const steps = fc.array(
  fc.oneof({ weight: 6, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.integer({ min: -40, max: -1 }) }),
  {
    minLength: 1,
    maxLength: 3000,
  },
);
// Between pushes, how many items to take out (0 most of the time, sometimes a burst).
const takes = fc.array(
  fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(30) }),
  {
    minLength: 1,
    maxLength: 3000,
  },
);

describe("ArrivalQueue", () => {
  it("gives items in the same order as one min-heap, through pushes and pops interleaved", () => {
    fc.assert(
      fc.property(steps, takes, (deltas, pops) => {
        const queue = new ArrivalQueue<Item>(before);
        const heap = new MinHeap<Item>(before);
        let end = 1000;
        const take = (n: number) => {
          for (let k = 0; k < n; k++) {
            expect(queue.peek()).toBe(heap.peek());
            const got = queue.pop();
            expect(got).toBe(heap.pop());
            expect(queue.size).toBe(heap.size);
            if (got === undefined) return;
          }
        };
        deltas.forEach((d, seq) => {
          end += d;
          const item = { end, seq };
          queue.push(item);
          heap.push(item);
          expect(queue.size).toBe(heap.size);
          take(pops[seq % pops.length]!);
        });
        take(heap.size + 1);
        expect(queue.peek()).toBeUndefined();
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });

  it("is cut back past its front and keeps its order across the cut", () => {
    const queue = new ArrivalQueue<Item>(before);
    for (let seq = 0; seq < 5000; seq++) queue.push({ end: seq, seq });
    queue.push({ end: 10, seq: 5000 });
    const out: number[] = [];
    for (let k = 0; k < 3000; k++) out.push(queue.pop()!.seq);
    for (let seq = 5001; seq < 5100; seq++) queue.push({ end: seq, seq });
    for (let item = queue.pop(); item; item = queue.pop()) out.push(item.seq);
    const expected = [...Array(11).keys(), 5000, ...Array.from({ length: 5000 - 11 }, (_, i) => i + 11)];
    for (let seq = 5001; seq < 5100; seq++) expected.push(seq);
    expect(out).toEqual(expected);
  });
});
