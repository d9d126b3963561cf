import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../../model/record.js";
import { config } from "../../testing/logging-configs.js";
import { SECOND, span, T0 } from "../../testing/records.js";
import { simulate } from "../simulate.js";
import { TokenBucket } from "./token-bucket.js";
import { traceSize } from "./trace-size.js";

/** Trace `n` with `spans` spans ending `at` seconds in; decided one second after its first span. */
function trace(n: number, spans: number, at: number): SpanRecord[] {
  const traceId = n.toString(16).padStart(32, "0");
  return Array.from({ length: spans }, () => span({ traceId, startS: at, endS: at }));
}

const sampledTraces = (records: SpanRecord[], policies: unknown[]) => {
  const view = simulate(
    records,
    config({ streams: [{ name: "s", processors: [{ tail_sampling: { decision_wait: "1s", policies } }] }] }),
    { auditAfterNs: 0n },
  );
  return [...new Set(view.stored.map((s) => Number.parseInt(s.record.traceId, 16)))];
};

describe("TokenBucket (golang.org/x/time/rate AllowN on recorded time)", () => {
  it("starts full, refuses more than the burst, refills at the rate", () => {
    const b = new TokenBucket(3, 6);
    expect(b.allow(T0, 7)).toBe(false); // more than the burst never passes
    expect(b.allow(T0, 6)).toBe(true);
    expect(b.allow(T0, 1)).toBe(false);
    expect(b.allow(T0 + SECOND / 3n, 1)).toBe(true); // one token back after a third of a second
    expect(b.allow(T0 + SECOND / 3n, 1)).toBe(false);
    expect(b.allow(T0 + 10n * SECOND, 6)).toBe(true); // capped at the burst, not 30
    expect(b.allow(T0 + 10n * SECOND, 1)).toBe(false);
  });

  it("treats a negative rate as no refill: the burst is a one-time allowance, as for a rate of 0", () => {
    // golang.org/x/time/rate: tokensFromDuration is 0 and durationFromTokens infinite for a limit ≤ 0,
    // so a negative spans_per_second never refills the bucket the limiter starts with.
    const b = new TokenBucket(-1, 5);
    expect(b.allow(T0, 3)).toBe(true);
    expect(b.allow(T0, 3)).toBe(false);
    expect(b.allow(T0 + 100n * SECOND, 3)).toBe(false);
    expect(b.allow(T0 + 100n * SECOND, 2)).toBe(true);
    expect(b.allow(T0 + 1000n * SECOND, 1)).toBe(false);
  });

  it("asks without taking when probing", () => {
    const b = new TokenBucket(1, 2);
    expect(b.allow(T0, 2, true)).toBe(true);
    expect(b.allow(T0, 2)).toBe(true);
    expect(b.allow(T0, 1)).toBe(false);
  });
});

describe("rate_limiting (rate_limiting.go: token bucket of spans_per_second, twice as deep)", () => {
  const policy = { name: "rl", type: "rate_limiting", rate_limiting: { spans_per_second: 3 } };

  it("refuses a trace with more spans than the burst, then lets the bucket drain and refill", () => {
    // TestRateLimiter pins that a trace larger than the limit is not sampled; the current evaluator
    // (NewRateLimiting → burst 2 × spans_per_second) admits 6 spans at once, then 3 a second.
    const records = [...trace(1, 7, 0), ...trace(2, 6, 0), ...trace(3, 1, 0), ...trace(4, 3, 1)];
    expect(sampledTraces(records, [policy])).toEqual([2, 4]);
  });

  it("takes its bucket's depth from burst_capacity when it is positive", () => {
    // rate_limiting_test.go TestRateLimiterBurstCapacityRejectsLargeTrace: NewRateLimitingWithBurstCapacity
    // (3 spans/s, burst 2) refuses a 3-span trace; getSharedPolicyEvaluator uses it when BurstCapacity > 0.
    const burst = (b: number) => ({
      name: "rl",
      type: "rate_limiting",
      rate_limiting: { spans_per_second: 3, burst_capacity: b },
    });
    expect(sampledTraces(trace(1, 3, 0), [burst(2)])).toEqual([]);
    // TestRateLimiterTokenBucket (3, 3): a 3-span trace takes the whole bucket, a 1-span one then waits.
    expect(sampledTraces([...trace(1, 3, 0), ...trace(2, 1, 0)], [burst(3)])).toEqual([1]);
    // A deeper bucket than the default admits a trace of more than twice the rate.
    expect(sampledTraces(trace(1, 10, 0), [burst(10)])).toEqual([1]);
    // 0 (or unset) keeps the default depth, twice spans_per_second (TestRateLimiterDefaultConstructorBurst).
    expect(sampledTraces(trace(1, 6, 0), [burst(0)])).toEqual([1]);
  });

  it("is judged on recorded span time, not on the machine's clock", () => {
    // Two 6-span traces decided 2 s apart (recorded): the bucket has refilled between them.
    expect(sampledTraces([...trace(1, 6, 0), ...trace(2, 6, 2)], [policy])).toEqual([1, 2]);
    expect(sampledTraces([...trace(1, 6, 0), ...trace(2, 6, 1)], [policy])).toEqual([1]);
  });
});

describe("bytes_limiting (bytes_limiting.go: token bucket of bytes, calculateTraceSize)", () => {
  it("weighs a trace as the OTLP protobuf size of its spans, each in a batch of its own", () => {
    // bytes_limiting.go calculateTraceSize: ptrace.ProtoMarshaler.TracesSize(trace.ReceivedBatches).
    const s = span({
      name: "abc",
      attributes: { k: "vvvv", n: 1, b: true },
      resource: { "service.name": "x" },
      scope: { name: "sc", version: "1" },
    });
    // Span: trace_id 18 + span_id 10 + name 5 + kind 2 + start 9 + end 9 + status 2 + attributes
    // (KeyValue k: 1+1+(3 key + 8 value) = 13; n: 9; b: 9) = 86 → 88 as a field. ScopeSpans: scope
    // (name 4 + version 3 → 9) + 88 = 97 → 99. Resource: "service.name"="x" 1+1+19 → 23.
    // ResourceSpans 23 + 99 = 122 → 124 in TracesData.
    expect(traceSize([s])).toBe(124);
    // The resource and scope are counted again for every span: the collector repeats them per batch.
    expect(traceSize([s, s])).toBe(248);
  });

  it("refuses a trace the collector's byte count refuses (more than the older per-field estimate)", () => {
    // Two spans named "s" of one resource, with 20 attributes each: the first bytes_limiting counted 4
    // for the resource, 4 for the scope, 68 and the name per span, and the attribute keys and values;
    // the protobuf size the collector counts now is well above that, so a bucket of the old estimate
    // must not admit the trace.
    const attributes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`attr.${i}`, `value ${i}`]));
    const resource = {};
    const records = trace(1, 2, 0).map((r) => ({ ...r, name: "s", attributes, resource }));
    const keysAndValues = Object.entries(attributes).reduce((n, [k, v]) => n + k.length + v.length, 0);
    const oldEstimate = 4 + 4 + 2 * (68 + 1 + keysAndValues);
    const policy = (bytes: number) => ({
      name: "bl",
      type: "bytes_limiting",
      bytes_limiting: { bytes_per_second: bytes, burst_capacity: bytes },
    });
    expect(traceSize(records)).toBeGreaterThan(oldEstimate);
    expect(sampledTraces(records, [policy(oldEstimate)])).toEqual([]);
    expect(sampledTraces(records, [policy(traceSize(records))])).toEqual([1]);
  });

  it("samples while the bytes last, and burst_capacity sets the bucket's depth", () => {
    const size = traceSize(trace(9, 1, 0));
    const policy = (burst?: number) => ({
      name: "bl",
      type: "bytes_limiting",
      bytes_limiting: { bytes_per_second: size, ...(burst ? { burst_capacity: burst } : {}) },
    });
    const three = [...trace(1, 1, 0), ...trace(2, 1, 0), ...trace(3, 1, 0)];
    expect(sampledTraces(three, [policy()])).toEqual([1, 2]); // default depth: two traces' worth
    expect(sampledTraces(three, [policy(3 * size)])).toEqual([1, 2, 3]);
    // getSharedPolicyEvaluator: a burst_capacity that is not positive means the default, not an empty bucket.
    const zero = { ...policy(), bytes_limiting: { bytes_per_second: size, burst_capacity: 0 } };
    expect(sampledTraces(three, [zero])).toEqual([1, 2]);
  });
});

describe("composite (composite.go, composite_helper.go)", () => {
  const numeric = {
    name: "tagged",
    type: "numeric_attribute",
    numeric_attribute: { key: "tag", min_value: 1, max_value: 100 },
  };
  const all = { name: "all", type: "always_sample" };
  const tagged = (n: number, at: number) => trace(n, 1, at).map((r) => ({ ...r, attributes: { tag: 10 } }));

  it("the first sub-policy that samples decides, within its share of the spans this second", () => {
    // TestCompositeEvaluator_OverflowAlwaysSampled: total 3, one span a second each; the second tagged
    // trace overflows the numeric policy's share and is not sampled, although always_sample follows.
    const policy = {
      name: "c",
      type: "composite",
      composite: {
        max_total_spans_per_second: 3,
        policy_order: ["tagged", "all"],
        composite_sub_policy: [numeric, all],
        rate_allocation: [
          { policy: "tagged", percent: 34 },
          { policy: "all", percent: 34 },
        ],
      },
    };
    const records = [...tagged(1, 0), ...tagged(2, 0), ...trace(3, 1, 0)];
    expect(sampledTraces(records, [policy])).toEqual([1, 3]);
  });

  it("restarts the counters each recorded second; a sub-policy without an allocation samples nothing", () => {
    // TestCompositeEvaluatorThrottling: the limit holds within a second and lifts in the next.
    const policy = (allocation: unknown[]) => ({
      name: "c",
      type: "composite",
      composite: { max_total_spans_per_second: 2, composite_sub_policy: [all], rate_allocation: allocation },
    });
    const records = [...trace(1, 1, 0), ...trace(2, 1, 0), ...trace(3, 1, 0), ...trace(4, 1, 1)];
    expect(sampledTraces(records, [policy([{ policy: "all", percent: 100 }])])).toEqual([1, 2, 4]);
    // A percent that is not positive is an even share of the total.
    expect(sampledTraces(records, [policy([{ policy: "all", percent: 0 }])])).toEqual([1, 2, 4]);
    expect(sampledTraces(records, [policy([])])).toEqual([]);
  });
});
