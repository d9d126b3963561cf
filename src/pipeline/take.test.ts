import { describe, expect, it, vi } from "vitest";
import { allCollected } from "../testing/collected.js";
import { oneStream } from "../testing/logging-configs.js";
import { SECOND, span, T0 } from "../testing/records.js";
import { Pipeline } from "./pipeline.js";

const A = "0000000000000000000000000000000a";
const C = "0000000000000000000000000000000c";

/**
 * A container that lives long enough ends up in V8's old generation, and the young collector takes
 * what it references as live even once the container is dead. So what the pipeline keeps per run (its
 * bucket, the tail sampler's entry) must let go of the run's records once the run is taken.
 */
describe("a run taken from the pipeline", () => {
  it("its records and losses are no longer reached from anything the pipeline kept for it", async () => {
    const pipeline = new Pipeline(
      oneStream([
        {
          tail_sampling: {
            decision_wait: "1s",
            policies: [{ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
          },
        },
      ]),
    );
    // Everything the pipeline files in a map stands for a container that outlived the run.
    const kept: object[] = [];
    const set = Map.prototype.set;
    const spy = vi.spyOn(Map.prototype, "set").mockImplementation(function (
      this: Map<unknown, unknown>,
      key: unknown,
      value: unknown,
    ) {
      if (typeof value === "object" && value !== null) kept.push(value);
      return set.call(this, key, value);
    });
    const runThrough = () => {
      // A is not sampled (its losses and the spans its decision saw are kept for late spans); C is
      // sampled, and its records reach the store.
      const records = [
        span({ traceId: A, startS: 0, endS: 0.1 }),
        span({ traceId: C, startS: 0, endS: 0.2, status: { code: "error" } }),
        span({ traceId: A, startS: 0, endS: 0.3 }),
        span({ traceId: C, startS: 0, endS: 0.4 }),
      ];
      for (const r of records) pipeline.push(r);
      pipeline.advance(T0 + 5n * SECOND);
      const a = pipeline.take(A, T0 + 5n * SECOND);
      const c = pipeline.take(C, T0 + 5n * SECOND);
      expect(a.losses.map((l) => l.loss.cause)).toEqual(["sampling", "sampling"]);
      expect(c.stored).toHaveLength(2);
      return [...records, ...a.losses.map((l) => l.loss)].map((o) => new WeakRef(o));
    };
    let refs: WeakRef<object>[];
    try {
      refs = runThrough();
    } finally {
      spy.mockRestore();
    }
    expect(kept.length).toBeGreaterThan(0);
    expect(await allCollected(refs)).toBe(true);
  });
});
