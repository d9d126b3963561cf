import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../../model/record.js";
import { config } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { DEFAULT_OTTL_ERROR_MODE_IGNORE, DISABLE_INVERT_DECISIONS } from "../feature-gates.js";
import { simulate } from "../simulate.js";
import { parseTraceState } from "./tail-content-policies.js";

const A = "0102030405060708090a0b0c0d0e0f10";

const view = (records: SpanRecord[], policies: unknown[], featureGates?: string[]) =>
  simulate(
    records,
    config({
      streams: [{ name: "s", processors: [{ tail_sampling: { decision_wait: "1s", policies } }] }],
      ...(featureGates ? { feature_gates: featureGates } : {}),
    }),
    { auditAfterNs: 0n },
  );
const sampled = (records: SpanRecord[], policies: unknown[], featureGates?: string[]) =>
  view(records, policies, featureGates).stored.length > 0;
const spans = (n: number, over: Partial<SpanRecord> = {}) =>
  Array.from({ length: n }, () => span({ traceId: A, ...over }));

describe("span_count (span_count_sampler.go)", () => {
  const policy = (min: number, max?: number) => ({
    name: "sc",
    type: "span_count",
    span_count: { min_spans: min, ...(max !== undefined ? { max_spans: max } : {}) },
  });

  it("samples between min_spans and max_spans inclusive; max_spans 0 has no upper bound", () => {
    // TestEvaluate_NumberSpans: 2 spans with min 2 samples, 1 span does not; max bounds from above.
    expect(sampled(spans(2), [policy(2)])).toBe(true);
    expect(sampled(spans(1), [policy(2)])).toBe(false);
    expect(sampled(spans(3), [policy(2, 3)])).toBe(true);
    expect(sampled(spans(4), [policy(2, 3)])).toBe(false);
    expect(sampled(spans(400), [policy(2, 0)])).toBe(true);
  });
});

describe("not (not.go)", () => {
  const errors = { name: "e", type: "status_code", status_code: { status_codes: ["ERROR"] } };

  it("swaps Sampled and NotSampled of its sub-policy", () => {
    // TestNotEvaluatorNotSampled / TestNotEvaluatorSampled
    const not = { name: "n", type: "not", not: { not_sub_policy: errors } };
    expect(sampled(spans(1), [not])).toBe(true);
    expect(sampled(spans(1, { status: { code: "error" } }), [not])).toBe(false);
  });

  it("is not a shared policy: inside drop it is reported, never assumed to match", () => {
    const dropHealthy = {
      name: "d",
      type: "drop",
      drop: { drop_sub_policy: [{ name: "n", type: "not", not: { not_sub_policy: errors } }] },
    };
    const all = { name: "all", type: "always_sample" };
    const v = view(spans(1), [all, dropHealthy]);
    expect(v.unknown.map((u) => u.construct)).toEqual([
      'tail_sampling.policies[1].drop.drop_sub_policy[0] (not policy "n")',
    ]);
  });
});

describe("ottl_condition (ottl.go)", () => {
  const policy = (extra: Record<string, unknown>) => ({
    name: "o",
    type: "ottl_condition",
    ottl_condition: extra,
  });

  it("samples when a span condition holds for some span, or a span event condition for some event", () => {
    const slow = span({ traceId: A, name: "checkout", attributes: { "http.status": 503 } });
    expect(sampled([slow], [policy({ span: ['attributes["http.status"] >= 500'] })])).toBe(true);
    expect(sampled([slow], [policy({ span: ['attributes["http.status"] < 500'] })])).toBe(false);
    const withEvent = span({
      traceId: A,
      events: [{ name: "exception", time: slow.end, attributes: {} }],
    });
    expect(sampled([withEvent], [policy({ spanevent: ['name == "exception"'] })])).toBe(true);
    expect(sampled([slow], [policy({ spanevent: ['name == "exception"'] })])).toBe(false);
  });

  it("takes ignore as the default error_mode behind the defaultOTTLErrorModeIgnore gate", () => {
    // ottl_default_error_mode_test.go TestOTTLDefaultErrorMode: with error_mode unset, an evaluation
    // error is an Error of the policy unless the gate is on; then the condition is false and a later
    // condition can still sample. (Indexing a string attribute is an evaluation error: ctxutil
    // GetMapValue's "type Str does not support string indexing".)
    const span_ = ['attributes["a"]["b"] == "c"', 'name == "keep"'];
    const keep = span({ traceId: A, name: "keep", attributes: { a: "text" } });
    expect(sampled([keep], [policy({ span: span_ })])).toBe(false);
    expect(sampled([keep], [policy({ span: span_ })], [DEFAULT_OTTL_ERROR_MODE_IGNORE])).toBe(true);
    expect(
      sampled([keep], [policy({ span: span_, error_mode: "propagate" })], [DEFAULT_OTTL_ERROR_MODE_IGNORE]),
    ).toBe(false);
  });

  it("reports a condition it cannot parse instead of assuming it harmless", () => {
    const v = view(spans(1), [policy({ span: ["this is not ottl ((("] })]);
    expect(v.stored).toHaveLength(0);
    expect(v.unknown[0]!.construct).toMatch(/ottl_condition\.span\[0\]/);
  });
});

describe("trace_state (trace_state_filter.go)", () => {
  const policy = { name: "ts", type: "trace_state", trace_state: { key: "ot", values: ["th:8"] } };

  it("samples a trace with a span whose tracestate holds the key with one of the values", () => {
    // TestTraceStateFilter: an exact value match on the key samples; another value or key does not.
    expect(sampled(spans(1, { traceState: "vendor=x,ot=th:8" }), [policy])).toBe(true);
    expect(sampled(spans(1, { traceState: "ot=th:c" }), [policy])).toBe(false);
    expect(sampled(spans(1, { traceState: "other=th:8" }), [policy])).toBe(false);
    expect(sampled(spans(1), [policy])).toBe(false);
  });

  it("does not match a tracestate that does not parse (W3C rules, as OpenTelemetry Go reads them)", () => {
    expect(sampled(spans(1, { traceState: "ot=th:8,ot=th:8" }), [policy])).toBe(false);
    expect(parseTraceState("a=1, b=2 ,,c@d=3")).toEqual(
      new Map([
        ["a", "1"],
        ["b", "2"],
        ["c@d", "3"],
      ]),
    );
    expect(parseTraceState("Upper=1")).toBeUndefined();
    expect(parseTraceState("a=")).toBeUndefined();
    expect(parseTraceState(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(","))).toBeUndefined();
  });
});

describe("invert_match and the disableinvertdecisions feature gate (featureflag.go)", () => {
  const invFree = {
    name: "not-free",
    type: "string_attribute",
    string_attribute: { key: "tier", values: ["free"], invert_match: true },
  };
  const all = { name: "all", type: "always_sample" };
  const free = spans(1, { attributes: { tier: "free" } });
  const paid = spans(1, { attributes: { tier: "paid" } });
  const errors = { name: "e", type: "status_code", status_code: { status_codes: ["ERROR"] } };

  it("by default (collectors from v0.144, when the gate went beta) inverted decisions are plain: a hit is NotSampled, a miss Sampled", () => {
    for (const gates of [undefined, [DISABLE_INVERT_DECISIONS], [`+${DISABLE_INVERT_DECISIONS}`]]) {
      expect(sampled(free, [all, invFree], gates)).toBe(true);
      expect(sampled(paid, [invFree], gates)).toBe(true);
      expect(sampled(paid, [invFree, errors], gates)).toBe(true);
      expect(sampled(free, [invFree, errors], gates)).toBe(false);
    }
  });

  it("with the gate switched off (-id, a collector before v0.144) an inverted hit vetoes every other policy, and an inverted miss samples unless another said no", () => {
    for (const gates of [
      [`-${DISABLE_INVERT_DECISIONS}`],
      [`${DEFAULT_OTTL_ERROR_MODE_IGNORE},-${DISABLE_INVERT_DECISIONS}`],
    ]) {
      expect(sampled(free, [all, invFree], gates)).toBe(false);
      expect(sampled(paid, [invFree], gates)).toBe(true);
      expect(sampled(paid, [invFree, errors], gates)).toBe(false);
      expect(view(free, [invFree], gates).unknown).toEqual([]);
    }
  });
});

describe("feature_gates", () => {
  it("reports a gate the model does not carry out as unknown, and none it does", () => {
    const all = [{ name: "all", type: "always_sample" }];
    const other = "processor.tailsamplingprocessor.recordpolicy";
    expect(view(spans(1), all, [other, DISABLE_INVERT_DECISIONS]).unknown).toEqual([
      {
        stage: "feature_gates",
        construct: other,
        message: `feature gate "${other}" is not modelled; its effect on what is kept is unknown`,
      },
    ]);
    expect(view(spans(1), all, [DISABLE_INVERT_DECISIONS, DEFAULT_OTTL_ERROR_MODE_IGNORE]).unknown).toEqual(
      [],
    );
    // switched off, or several in one entry as --feature-gates takes them: still reported
    expect(view(spans(1), all, [`-${other}`, ` , +${DISABLE_INVERT_DECISIONS}, ${other}`]).unknown).toEqual(
      [`-${other}`, other].map((construct) => ({
        stage: "feature_gates",
        construct,
        message: `feature gate "${other}" is not modelled; its effect on what is kept is unknown`,
      })),
    );
  });
});
