import { describe, expect, it } from "vitest";
import { oneStream } from "../../testing/logging-configs.js";
import { SECOND, span, T0 } from "../../testing/records.js";
import { DISABLE_INVERT_DECISIONS } from "../feature-gates.js";
import { simulate } from "../simulate.js";
import { tailProbabilisticThreshold, tailTraceHash } from "./tail-probabilistic.js";

const A = "0102030405060708090a0b0c0d0e0f10";
const W3C = "4bf92f3577b34da6a3ce929d0e0e4736";
const ALL_F = "ffffffffffffffffffffffffffffffff";
const B = "0000000000000000000000000000000b";
const C = "0000000000000000000000000000000c";

const tail = (settings: Record<string, unknown>) => oneStream([{ tail_sampling: settings }]);
const run = (records: Parameters<typeof simulate>[0], settings: Record<string, unknown>) =>
  simulate(records, tail(settings), { auditAfterNs: 0n });
const keptIds = (view: ReturnType<typeof simulate>) => view.stored.map((s) => s.record.spanId);

describe("probabilistic policy (probabilistic.go)", () => {
  it("computes floor(MaxUint64 · ratio) with a 64-bit big.Float", () => {
    // (2^64 − 1) · 0.25 = 4611686018427387903.75 exactly (fits 64 mantissa bits) → 0x3fffffffffffffff
    expect(tailProbabilisticThreshold(0.25).toString(16)).toBe("3fffffffffffffff");
    // 0.1 is 0x3fb999999999999a; the 117-bit product rounds to 64 bits, then truncates → 0x19999999999999ff
    expect(tailProbabilisticThreshold(0.1).toString(16)).toBe("19999999999999ff");
    expect(tailProbabilisticThreshold(33.3 / 100).toString(16)).toBe("553f7ced91686fff");
    expect(tailProbabilisticThreshold(0.01).toString(16)).toBe("28f5c28f5c28f5f");
    expect(tailProbabilisticThreshold(0.5).toString(16)).toBe("7fffffffffffffff");
    expect(tailProbabilisticThreshold(1).toString(16)).toBe("ffffffffffffffff");
    expect(tailProbabilisticThreshold(0)).toBe(0n);
  });

  it("hashes the default salt then the trace-id bytes with FNV-1a 64", () => {
    // offset 0xcbf29ce484222325, prime 0x100000001b3, over "default-hash-seed" then 16 id bytes
    expect(tailTraceHash("default-hash-seed", A).toString(16)).toBe("dbcf64d5420f4cad");
    expect(tailTraceHash("default-hash-seed", ALL_F).toString(16)).toBe("17bec3739634fe2d");
    expect(tailTraceHash("default-hash-seed", W3C).toString(16)).toBe("a54533ba2e4970b5");
  });

  it("samples iff hash ≤ threshold", () => {
    const policies = (pct: number) => ({
      decision_wait: "1s",
      policies: [{ name: "p", type: "probabilistic", probabilistic: { sampling_percentage: pct } }],
    });
    const a = span({ traceId: A });
    const f = span({ traceId: ALL_F });
    const w = span({ traceId: W3C });
    // 25%: 0xdbcf… > 0x3fff… (A dropped); 0x17be… ≤ 0x3fff… (ffff… kept); 0xa545… > (W3C dropped)
    expect(keptIds(run([a, f, w], policies(25)))).toEqual([f.spanId]);
    // 10%: 0x17bec3739634fe2d ≤ 0x19999999999999ff → still kept
    expect(keptIds(run([a, f, w], policies(10)))).toEqual([f.spanId]);
    // 70%: threshold ≈ 0xb333…; 0xa545… ≤ it → W3C kept; 0xdbcf… > it → A dropped
    expect(keptIds(run([a, f, w], policies(70)))).toEqual([f.spanId, w.spanId]);
    expect(keptIds(run([a, f, w], policies(100)))).toHaveLength(3);
  });
});

describe("decision_wait and late spans", () => {
  const errorsOnly = {
    decision_wait: "10s",
    policies: [{ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
  };

  it("samples away a long run whose error span arrives after the decision", () => {
    const tool1 = span({ traceId: A, name: "tool-1", startS: 0, endS: 1 });
    const tool2 = span({ traceId: A, name: "tool-2", startS: 1, endS: 2 });
    const failing = span({ traceId: A, name: "llm", startS: 2, endS: 45, status: { code: "error" } });
    const root = span({ traceId: A, name: "agent", startS: 0, endS: 46, status: { code: "error" } });
    const view = run([root, failing, tool2, tool1], errorsOnly);
    expect(view.stored).toHaveLength(0);
    expect(view.losses.map((l) => l.spanId)).toEqual([
      tool1.spanId,
      tool2.spanId,
      failing.spanId,
      root.spanId,
    ]);
    // decided at 1s + 10s on the two tool spans; the error arrives 34s after the decision
    expect(view.losses[2]!.detail).toBe(
      'arrived 34s after the trace was decided not sampled (decision_wait 10s after its first span): no policy sampled it; with this span the trace would have been sampled (policy "errors" sampled it): the failed run was sampled away because its error arrived after the decision',
    );
    expect(view.losses[0]!.detail).toBe(
      'trace not sampled at 10s after its first span (decision_wait 10s) on 2 span(s): no policy sampled it — a span with status ERROR (llm) arrived 34s after the decision; with it the trace would have been sampled (policy "errors" sampled it): the failed run was sampled away because its error arrived late',
    );
  });

  it("says a late error sampled the run away after many ordinary late spans, asking a bounded number", () => {
    // Each late span of a trace decided not sampled is asked whether it would have changed the decision, a
    // decision over the whole trace: bounded per trace (64 ordinary, 64 with status ERROR) so a long run is
    // not quadratic, and an error after 100 ordinary late spans is still asked.
    const spans = [span({ traceId: A, name: "first", startS: 0, endS: 1 })];
    for (let i = 0; i < 100; i++)
      spans.push(span({ traceId: A, name: `step-${i}`, startS: 1, endS: 20 + i / 10 }));
    const failing = span({ traceId: A, name: "llm", startS: 2, endS: 40, status: { code: "error" } });
    const view = run([...spans, failing], errorsOnly);
    expect(view.stored).toHaveLength(0);
    expect(view.losses.at(-1)!.detail).toContain(
      'with this span the trace would have been sampled (policy "errors" sampled it): the failed run was sampled away because its error arrived after the decision',
    );
    expect(view.losses[0]!.detail).toContain("a span with status ERROR (llm) arrived");
  });

  it("keeps the run when the error arrives within decision_wait, and late spans inherit a sampled decision", () => {
    const early = span({ traceId: A, startS: 0, endS: 1, status: { code: "error" } });
    const late = span({ traceId: A, startS: 0, endS: 60 });
    expect(keptIds(run([early, late], errorsOnly))).toEqual([early.spanId, late.spanId]);
  });

  /** Always sample, and drop a trace with a span flagged `flagged: true`. */
  const dropFlagged = (wait: string) => ({
    decision_wait: wait,
    policies: [
      { name: "all", type: "always_sample" },
      {
        name: "flagged",
        type: "drop",
        drop: {
          drop_sub_policy: [
            { name: "f", type: "boolean_attribute", boolean_attribute: { key: "flagged", value: true } },
          ],
        },
      },
    ],
  });

  it("never decides before one second, however short decision_wait is", () => {
    // processor.go Start: idbatcher.New(uint64(math.Max(1, DecisionWait.Seconds()))) on a 1 s ticker
    // (id_batcher.go: a pipe of that many one-second batches): a trace is decided between ⌊decision_wait⌋
    // and one more second after its first span, and never before 1s. With 500ms, a span at 0.8s is in the
    // decision, and here a drop policy then drops the whole trace, where deciding at 0.5s kept the first.
    const first = span({ traceId: A, startS: 0, endS: 0 });
    const flaggedAt = (s: number) => span({ traceId: A, startS: 0, endS: s, attributes: { flagged: true } });
    const view = run([first, flaggedAt(0.8)], dropFlagged("500ms"));
    expect(keptIds(view)).toEqual([]);
    expect(view.losses[0]!.detail).toBe(
      'trace not sampled at 1s after its first span (decision_wait 500ms, which the collector\'s one-second decision ticks make 1s) on 2 span(s): drop policy "flagged" matched',
    );
    expect(keptIds(run([first, flaggedAt(0.8)], dropFlagged("0s")))).toEqual([]);
    // From one second on, decision_wait lies within the collector's window and is kept as the delay.
    expect(keptIds(run([first, flaggedAt(1.2)], dropFlagged("1.5s")))).toEqual([]);
    // Past the window (1s, 2s] the flagged span is late for every phase: the sampled trace keeps it.
    const late = flaggedAt(2.1);
    expect(keptIds(run([first, late], dropFlagged("1.5s")))).toEqual([first.spanId, late.spanId]);
  });

  it("keeps a trace only if every decision point of the collector's window samples it", () => {
    // A 1 s ticker takes the oldest of ⌊decision_wait⌋ batches (id_batcher.go), so with 1.5s the trace is
    // decided somewhere in (1s, 2s] after its first span as the ticker's phase falls. A flagged span at
    // 1.6s is in the decision for some phases (the drop policy drops the whole trace) and late for others.
    const first = span({ traceId: A, startS: 0, endS: 0 });
    const flagged = span({ traceId: A, startS: 0, endS: 1.6, attributes: { flagged: true } });
    const view = run([first, flagged], dropFlagged("1.5s"));
    expect(keptIds(view)).toEqual([]);
    expect(view.losses.map((l) => l.spanId)).toEqual([first.spanId, flagged.spanId]);
    expect(view.losses[0]!.detail).toBe(
      'trace not sampled at 1s600ms after its first span (decision_wait 1s500ms) on 2 span(s): drop policy "flagged" matched — the collector decides between 1s and 2s after the first span, as the phase of its one-second ticker falls; deciding at 1s600ms or a little later it does not sample the trace, which at 1s500ms on 1 span(s) it would (policy "all" sampled it)',
    );
    // span_count {max 2}: two spans by 30s, a third at 30.4s — some phases see three and do not sample.
    const capped = {
      decision_wait: "30s",
      policies: [{ name: "small", type: "span_count", span_count: { min_spans: 1, max_spans: 2 } }],
    };
    const spans = [0, 29, 30.4].map((s) => span({ traceId: A, startS: 0, endS: s }));
    expect(keptIds(run(spans, capped))).toEqual([]);
    // Not sampled at decision_wait but sampled later in the window: lost (some phases decide without the
    // error), and the loss says that a later phase keeps it.
    const run10 = [
      span({ traceId: A, startS: 0, endS: 0 }),
      span({ traceId: A, startS: 0, endS: 10.5, status: { code: "error" } }),
    ];
    const errors = run(run10, errorsOnly);
    expect(keptIds(errors)).toEqual([]);
    expect(errors.losses[0]!.detail).toBe(
      'trace not sampled at 10s after its first span (decision_wait 10s) on 1 span(s): no policy sampled it — the collector decides between 10s and 11s after the first span, as the phase of its one-second ticker falls; deciding at 11s on 2 span(s) it samples the trace (policy "errors" sampled it), so whether it keeps the run depends on that phase',
    );
    // A trace whose spans keep arriving through the window is judged at a bounded number of points,
    // the first and the last among them: 300 spans in (30s, 31s], the 250th flagged — dropped; and
    // span_count {max 200} trips only on the last points.
    const many = [span({ traceId: A, startS: 0, endS: 0 })];
    for (let i = 1; i <= 300; i++) {
      many.push(
        span({
          traceId: A,
          startS: 0,
          endS: 30 + i / 400,
          ...(i === 250 ? { attributes: { flagged: true } } : {}),
        }),
      );
    }
    expect(keptIds(run(many, { ...dropFlagged("30s") }))).toEqual([]);
    const upTo200 = {
      decision_wait: "30s",
      policies: [{ name: "c", type: "span_count", span_count: { min_spans: 1, max_spans: 200 } }],
    };
    expect(keptIds(run(many, upTo200))).toEqual([]);
    expect(keptIds(run(many.slice(0, 200), upTo200))).toHaveLength(200);
    // The same third span past 31s is late for every phase, and the sampled trace keeps it.
    const later = [0, 29, 31.2].map((s) => span({ traceId: A, startS: 0, endS: s }));
    expect(keptIds(run(later, capped))).toEqual(later.map((s) => s.spanId));
  });

  it("counts a span ending exactly at the decision time as arrived", () => {
    const first = span({ traceId: A, startS: 0, endS: 1 });
    const atDecision = span({ traceId: A, startS: 0, endS: 11, status: { code: "error" } });
    expect(keptIds(run([first, atDecision], errorsOnly))).toHaveLength(2);
  });
});

describe("num_traces eviction", () => {
  it("evicts the oldest buffered trace and decides its later spans afresh", () => {
    const settings = {
      num_traces: 2,
      decision_wait: "30s",
      policies: [{ name: "all", type: "always_sample" }],
    };
    const a1 = span({ traceId: A, startS: 0, endS: 1 });
    const b = span({ traceId: B, startS: 0, endS: 2 });
    const c = span({ traceId: C, startS: 0, endS: 3 }); // evicts A (undecided)
    const a2 = span({ traceId: A, startS: 0, endS: 4 }); // A again: evicts B, buffered anew
    const view = run([a1, b, c, a2], settings);
    expect(keptIds(view)).toEqual([c.spanId, a2.spanId]);
    expect(view.losses.map((l) => [l.spanId, l.cause])).toEqual([
      [a1.spanId, "sampling"],
      [b.spanId, "sampling"],
    ]);
    expect(view.losses[0]!.detail).toBe(
      "trace evicted from the tail sampler's buffer before its decision: more than num_traces 2 traces were buffered",
    );
  });

  it("drops the late spans of a decided trace that was evicted and then decided not sampled afresh", () => {
    const settings = {
      num_traces: 1,
      decision_wait: "5s",
      policies: [{ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
    };
    // sampled between 6s and 7s (the collector's window for decision_wait 5s)
    const err = span({ traceId: A, startS: 0, endS: 1, status: { code: "error" } });
    const other = span({ traceId: B, startS: 0, endS: 8 }); // evicts decided A
    const lateA = span({ traceId: A, startS: 0, endS: 9 }); // A afresh on its own: no error → lost
    const view = run([err, other, lateA], settings);
    expect(keptIds(view)).toEqual([err.spanId]);
    const lateLoss = view.losses.find((l) => l.spanId === lateA.spanId)!;
    expect(lateLoss.detail).toContain("decided afresh on its own spans after the trace was evicted earlier");
  });
});

describe("policy evaluation and decision precedence (processor.go)", () => {
  const one = (
    policies: unknown[],
    records = [span({ traceId: A, attributes: { tier: "free" }, resource: { "service.name": "agent" } })],
    featureGates: string[] = [],
  ) =>
    keptIds(
      simulate(
        records,
        { ...tail({ decision_wait: "1s", policies }), feature_gates: featureGates },
        { auditAfterNs: 0n },
      ),
    ).length === 1;

  it("drop beats every other policy", () => {
    expect(
      one([
        { name: "all", type: "always_sample" },
        {
          name: "no-free",
          type: "drop",
          drop: {
            drop_sub_policy: [
              { name: "f", type: "string_attribute", string_attribute: { key: "tier", values: ["free"] } },
            ],
          },
        },
      ]),
    ).toBe(false);
  });

  it("before v0.144, an inverted match that hits beats a sampling policy (InvertNotSampled > Sampled)", () => {
    const legacy = [`-${DISABLE_INVERT_DECISIONS}`];
    const inv = {
      name: "not-free",
      type: "string_attribute",
      string_attribute: { key: "tier", values: ["free"], invert_match: true },
    };
    const records = undefined;
    expect(one([{ name: "all", type: "always_sample" }, inv], records, legacy)).toBe(false);
    // an inverted policy that does not hit samples, unless another policy said NotSampled
    const invPaid = {
      name: "not-paid",
      type: "string_attribute",
      string_attribute: { key: "tier", values: ["paid"], invert_match: true },
    };
    expect(one([invPaid], records, legacy)).toBe(true);
    expect(
      one(
        [invPaid, { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
        records,
        legacy,
      ),
    ).toBe(false);
  });

  it("reads resource attributes as well as span attributes", () => {
    expect(
      one([
        {
          name: "svc",
          type: "string_attribute",
          string_attribute: { key: "service.name", values: ["agent"] },
        },
      ]),
    ).toBe(true);
    expect(
      one([
        {
          name: "svc",
          type: "string_attribute",
          string_attribute: { key: "service.name", values: ["ag.*"], enabled_regex_matching: true },
        },
      ]),
    ).toBe(true);
    expect(
      one([
        {
          name: "svc",
          type: "string_attribute",
          string_attribute: { key: "service.name", values: ["other"] },
        },
      ]),
    ).toBe(false);
  });

  it("numeric_attribute, boolean_attribute and and", () => {
    const r = [span({ traceId: A, attributes: { tokens: 1500, cached: true } })];
    expect(
      one(
        [{ name: "n", type: "numeric_attribute", numeric_attribute: { key: "tokens", min_value: 1000 } }],
        r,
      ),
    ).toBe(true);
    expect(
      one(
        [
          {
            name: "n",
            type: "numeric_attribute",
            numeric_attribute: { key: "tokens", min_value: 1, max_value: 999 },
          },
        ],
        r,
      ),
    ).toBe(false);
    expect(
      one(
        [
          {
            name: "n",
            type: "numeric_attribute",
            numeric_attribute: { key: "tokens", min_value: 1, max_value: 999, invert_match: true },
          },
        ],
        r,
      ),
    ).toBe(true);
    expect(
      one([{ name: "b", type: "boolean_attribute", boolean_attribute: { key: "cached", value: true } }], r),
    ).toBe(true);
    expect(
      one([{ name: "b", type: "boolean_attribute", boolean_attribute: { key: "cached", value: false } }], r),
    ).toBe(false);
    const and = (second: unknown) => ({
      name: "and",
      type: "and",
      and: {
        and_sub_policy: [
          { name: "b", type: "boolean_attribute", boolean_attribute: { key: "cached", value: true } },
          second,
        ],
      },
    });
    expect(
      one(
        [
          and({
            name: "n",
            type: "numeric_attribute",
            numeric_attribute: { key: "tokens", min_value: 1000 },
          }),
        ],
        r,
      ),
    ).toBe(true);
    expect(one([and({ name: "e", type: "status_code", status_code: { status_codes: ["ERROR"] } })], r)).toBe(
      false,
    );
  });

  it("latency tests the running duration after each span, as latency.go does", () => {
    // spans [0,2s] then [0,9s]: after the first span the duration is 2000ms, inside (1000, 3000] → sampled,
    // although the whole trace lasts 9s, past upper_threshold_ms.
    const r = [span({ traceId: A, startS: 0, endS: 2 }), span({ traceId: A, startS: 0, endS: 9 })];
    const lat = (threshold_ms: number, upper_threshold_ms?: number) => [
      { name: "slow", type: "latency", latency: { threshold_ms, upper_threshold_ms } },
    ];
    expect(keptIds(run(r, { decision_wait: "30s", policies: lat(1000, 3000) }))).toHaveLength(2);
    expect(keptIds(run(r, { decision_wait: "30s", policies: lat(9001) }))).toHaveLength(0);
    expect(keptIds(run(r, { decision_wait: "30s", policies: lat(9000) }))).toHaveLength(2);
  });

  it("reports unsupported policy types and treats them as not sampling", () => {
    const view = run([span({ traceId: A })], {
      decision_wait: "1s",
      policies: [{ name: "tf", type: "trace_flags", trace_flags: {} }],
    });
    expect(view.stored).toHaveLength(0);
    expect(view.unknown).toEqual([
      {
        stage: "s/tail_sampling[0]",
        construct: 'tail_sampling.policies[0] (trace_flags policy "tf")',
        message:
          "tail_sampling policy type trace_flags is not modelled; it is treated as never sampling, so traces it would keep are reported lost",
      },
    ]);
    expect(view.losses[0]!.detail).toContain(
      'unsupported "tf" (trace_flags) treated as not sampling and might have kept it',
    );
  });

  it("rejects what the collector rejects", () => {
    expect(() =>
      run([], { policies: [{ name: "x", type: "status_code", status_code: { status_codes: ["BAD"] } }] }),
    ).toThrow(/unknown status code "BAD"/);
    expect(() => run([], { decision_wait: "ten seconds", policies: [] })).toThrow(/not a Go duration/);
    // ottl.go NewOTTLConditionFilter: "expected at least one OTTL condition to filter on".
    expect(() => run([], { policies: [{ name: "o", type: "ottl_condition", ottl_condition: {} }] })).toThrow(
      /expected at least one OTTL condition/,
    );
  });

  it("reports a policy setting it does not know instead of ignoring it", () => {
    // config.go decodes policies strictly: a key trailcheck does not know belongs to a newer collector,
    // whose effect (as burst_capacity's on rate_limiting) may change what is kept.
    const view = run([span({ traceId: A })], {
      decision_wait: "1s",
      policies: [
        { name: "rl", type: "rate_limiting", rate_limiting: { spans_per_second: 10, traces_per_second: 1 } },
        {
          name: "s",
          type: "string_attribute",
          string_attribute: { key: "k", values: ["v"], cache_max_size: 10 },
        },
      ],
    });
    expect(view.unknown.map((u) => u.construct)).toEqual([
      "tail_sampling.policies[0].rate_limiting.traces_per_second",
    ]);
  });

  it("uses the default decision_wait of 30s", () => {
    const first = span({ traceId: A, startS: 0, endS: 1 });
    const within = span({ traceId: A, startS: 0, endS: 31, status: { code: "error" } });
    const after = span({ traceId: B, startS: 0, endS: 1 });
    const tooLate = span({ traceId: B, startS: 0, endS: 31.5, status: { code: "error" } });
    const view = run([first, within, after, tooLate], {
      policies: [{ name: "e", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
    });
    expect(keptIds(view)).toEqual([first.spanId, within.spanId]);
    expect(T0 + 31n * SECOND).toBe(BigInt(within.end));
  });
});
