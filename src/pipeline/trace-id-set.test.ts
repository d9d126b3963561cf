import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TraceIdQueue, TraceIdSet } from "./trace-id-set.js";

// Ids spread as real ones are (hashes), from a pool the operations keep meeting, so probe chains form
// and deletions cut into them; a few ids of another form than 32 lowercase hex digits, kept aside.
const md5 = (n: number) => createHash("md5").update(String(n)).digest("hex");
const hexId = fc.nat().map(md5);
const ids = fc.uniqueArray(fc.oneof({ weight: 9, arbitrary: hexId }, { weight: 1, arbitrary: fc.string() }), {
  minLength: 600,
  maxLength: 3000,
});

describe("TraceIdSet", () => {
  it("answers as a Set of the same ids through adds and deletes, past several growths", () => {
    fc.assert(
      fc.property(
        ids,
        fc.array(fc.tuple(fc.constantFrom("add", "delete", "has"), fc.nat()), {
          minLength: 3000,
          maxLength: 6000,
        }),
        (pool, ops) => {
          const set = new TraceIdSet();
          const model = new Set<string>();
          for (const [op, n] of ops) {
            const id = pool[n % pool.length]!;
            if (op === "add") {
              set.add(id);
              model.add(id);
            } else if (op === "delete") expect(set.delete(id)).toBe(model.delete(id));
            else expect(set.has(id)).toBe(model.has(id));
            expect(set.size).toBe(model.size);
          }
          for (const id of pool) expect(set.has(id)).toBe(model.has(id));
        },
      ),
      { numRuns: 10, endOnFailure: true },
    );
  });

  it("keeps every other id reachable when deletions cut probe chains, including chains that wrap", () => {
    // Nearly half full (the most before growing): long chains, some running past the table's end.
    for (let round = 0; round < 30; round++) {
      const set = new TraceIdSet();
      const all = Array.from({ length: 511 }, (_, i) => md5(round * 1000 + i));
      for (const id of all) set.add(id);
      for (const id of all.filter((_, i) => i % 3 === 0)) expect(set.delete(id)).toBe(true);
      for (const [i, id] of all.entries()) expect(set.has(id)).toBe(i % 3 !== 0);
      expect(set.size).toBe(all.length - Math.ceil(all.length / 3));
    }
  });
});

describe("TraceIdQueue", () => {
  it("gives back the ids pushed, in order, whatever their form, across growth and wrap-around", () => {
    fc.assert(
      fc.property(
        ids,
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { minLength: 3000, maxLength: 6000 }),
        (pool, ops) => {
          const queue = new TraceIdQueue();
          const model: string[] = [];
          for (const [push, n] of ops) {
            if (push) {
              queue.push(pool[n % pool.length]!);
              model.push(pool[n % pool.length]!);
            } else expect(queue.shift()).toBe(model.shift());
            expect(queue.size).toBe(model.length);
          }
          while (model.length > 0) expect(queue.shift()).toBe(model.shift());
          expect(queue.shift()).toBeUndefined();
        },
      ),
      { numRuns: 10, endOnFailure: true },
    );
  });

  it("grows while its head is mid-ring and its items wrap past the end", () => {
    const queue = new TraceIdQueue();
    const model: string[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(md5(i));
      model.push(md5(i));
      if (i % 3 === 0) expect(queue.shift()).toBe(model.shift());
    }
    while (model.length > 0) expect(queue.shift()).toBe(model.shift());
  });
});
