import { describe, expect, it } from "vitest";
import { oneStream } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";

const run = (settings: Record<string, unknown>, records: ReturnType<typeof span>[]) =>
  simulate(records, oneStream([{ filter: settings }]), { auditAfterNs: 0n });

describe("filter processor", () => {
  it("drops spans matching any condition and leaves their children as orphans without a loss of their own", () => {
    const root = span({ name: "agent" });
    const guard = span({
      name: "guardrail",
      parentSpanId: root.spanId,
      attributes: { "policy.decision": "deny" },
    });
    const child = span({ name: "llm", parentSpanId: guard.spanId });
    const view = run(
      {
        error_mode: "ignore",
        traces: { span: ['attributes["policy.decision"] == "deny"', 'name == "never"'] },
      },
      [root, guard, child],
    );
    expect(view.stored.map((s) => s.record.spanId)).toEqual([root.spanId, child.spanId]);
    expect(view.stored[1]!.record.parentSpanId).toBe(guard.spanId);
    expect(view.losses).toEqual([
      {
        traceId: guard.traceId,
        spanId: guard.spanId,
        stream: "s",
        stage: "s/filter[0]",
        cause: "filter",
        target: { type: "record" },
        detail: 'filter condition traces.span[0] matched: attributes["policy.decision"] == "deny"',
      },
    ]);
  });

  it("drops span events matching a spanevent condition", () => {
    const r = span({
      events: [
        { name: "exception", time: "1", attributes: {} },
        { name: "log", time: "2", attributes: {} },
      ],
    });
    const view = run({ traces: { spanevent: ['name == "log"'] } }, [r]);
    expect(view.stored[0]!.record.events.map((e) => e.name)).toEqual(["exception"]);
    expect(view.losses[0]!.target).toEqual({ type: "attribute", key: "event[1]", effect: "deleted" });
  });

  it("reports conditions outside the subset instead of assuming they drop nothing", () => {
    const view = run({ traces: { span: ['IsRootSpan() and name == "x"'] }, trace_conditions: [] }, [span()]);
    expect(view.stored).toHaveLength(1);
    expect(view.unknown).toEqual([
      {
        stage: "s/filter[0]",
        construct: "filter.trace_conditions",
        message:
          'setting "trace_conditions" of filter is not modelled; its effect on what is kept is unknown',
      },
      {
        stage: "s/filter[0]",
        construct: 'filter.traces.span[0]: IsRootSpan() and name == "x"',
        message:
          "column 1: unsupported function IsRootSpan; the condition is not evaluated, so spans it would drop are kept",
      },
    ]);
  });

  it("with error_mode propagate an evaluation error stops the check; otherwise it is reported once", () => {
    // indexing a string attribute fails at run time (ctxutil GetMapValue: "type Str does not support
    // string indexing"), as does an index out of bounds (GetSliceValue: "index 1 out of bounds")
    const cond = 'attributes["x"]["y"] == 1';
    const str = () => span({ attributes: { x: "text" } });
    expect(() => run({ traces: { span: [cond] } }, [str()])).toThrow(/error_mode: propagate/);
    const view = run({ error_mode: "ignore", traces: { span: [cond] } }, [str(), str()]);
    expect(view.stored).toHaveLength(2);
    expect(view.unknown).toHaveLength(1);
    expect(view.unknown[0]!.message).toBe(
      "evaluation failed (type Str does not support string indexing); with error_mode ignore the collector skips it, so its effect is unknown",
    );
    const list = () => span({ attributes: { x: ["a"] } });
    const outOfBounds = run({ error_mode: "ignore", traces: { span: ['attributes["x"][1] == "a"'] } }, [
      list(),
    ]);
    expect(outOfBounds.stored).toHaveLength(1);
    expect(outOfBounds.unknown[0]!.message).toMatch(/^evaluation failed \(index 1 out of bounds\)/);
    // a missing key is nil, no error: the condition holds and the span is dropped
    const missing = run({ traces: { span: ['attributes["nope"]["y"] == nil'] } }, [str()]);
    expect(missing.stored).toHaveLength(0);
    expect(missing.unknown).toHaveLength(0);
  });

  it("reports scope attributes as unknown: the collector reads them, the record model does not keep them", () => {
    // Before, the condition parsed and then failed, so error_mode propagate stopped the check with exit 2
    // although the collector evaluates it without error.
    const view = run({ traces: { span: ['instrumentation_scope.attributes["x"] == 1'] } }, [span()]);
    expect(view.stored).toHaveLength(1);
    expect(view.unknown[0]!.message).toMatch(/instrumentation scope attributes are not in the record model/);
  });

  it("holds nil <= nil and nil >= nil, as pkg/ottl compare.go does for two nils", () => {
    // compare(): `if a == nil && b == nil { return op == eq || op == lte || op == gte }`
    const drops = (cond: string) => run({ traces: { span: [cond] } }, [span()]).stored.length === 0;
    expect(drops('attributes["a"] >= attributes["b"]')).toBe(true);
    expect(drops('attributes["a"] <= nil')).toBe(true);
    expect(drops('attributes["a"] < nil')).toBe(false);
    expect(drops('attributes["a"] > attributes["b"]')).toBe(false);
    expect(drops('attributes["a"] != nil')).toBe(false);
  });

  it("compares maps whatever the order of their keys (pcommon Map.Equal)", () => {
    const r = span({ attributes: { m: { a: 1, b: 2 }, n: { b: 2, a: 1 }, l: [1, 2], k: [2, 1] } });
    const drops = (cond: string) => run({ traces: { span: [cond] } }, [r]).stored.length === 0;
    expect(drops('attributes["m"] == attributes["n"]')).toBe(true);
    expect(drops('attributes["l"] == attributes["k"]')).toBe(false);
  });
});
