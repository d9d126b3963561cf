import { describe, expect, it } from "vitest";
import { config } from "../testing/logging-configs.js";
import { span } from "../testing/records.js";
import { simulate } from "./simulate.js";

const run = (sdk: Record<string, unknown>, records: ReturnType<typeof span>[]) =>
  simulate(records, config({ sdk, streams: [{ name: "s" }] }), { auditAfterNs: 0n });

describe("SDK export stage", () => {
  it("truncates string values past attribute_value_length_limit", () => {
    const r = span({ attributes: { args: "abcdef", list: ["abcdef", 1], n: 123456 } });
    const view = run({ attribute_value_length_limit: 3 }, [r]);
    expect(view.stored[0]!.record.attributes).toEqual({ args: "abc", list: ["abc", 1], n: 123456 });
    expect(view.losses.map((l) => [l.stage, l.cause, l.stream])).toEqual([
      ["sdk", "truncation", undefined],
      ["sdk", "truncation", undefined],
    ]);
  });

  it("drops spans that end while the queue is full", () => {
    // run starts at 0s; drains every 5s, one span each; queue of 2: the third span ending before 5s is dropped
    const spans = [1, 2, 3].map((endS) => span({ startS: 0, endS }));
    const view = run({ max_queue_size: 2, max_export_batch_size: 1, schedule_delay: "5s" }, spans);
    expect(view.stored.map((s) => s.record.spanId)).toEqual([spans[0]!.spanId, spans[1]!.spanId]);
    expect(view.losses).toHaveLength(1);
    expect(view.losses[0]).toMatchObject({ spanId: spans[2]!.spanId, stage: "sdk", cause: "export" });
    expect(view.losses[0]!.detail).toBe(
      "BatchSpanProcessor queue full: 2 spans queued when it ended (max_queue_size 2; 1 exported every 5s)",
    );
  });

  it("loses the spans still queued at exit without flush_on_exit", () => {
    const early = span({ startS: 0, endS: 1 }); // exported by the drain at 5s
    const last = span({ startS: 0, endS: 7 }); // queued at exit (7s), next drain would be at 10s
    const view = run({ flush_on_exit: false }, [early, last]);
    expect(view.stored.map((s) => s.record.spanId)).toEqual([early.spanId]);
    expect(view.losses[0]).toMatchObject({ spanId: last.spanId, cause: "export" });
    expect(run({ flush_on_exit: true }, [early, last]).stored).toHaveLength(2);
  });
});
