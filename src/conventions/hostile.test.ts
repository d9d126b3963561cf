import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../model/attributes.js";
import { span } from "../testing/records.js";
import { normaliseArguments, readPath } from "./_internals/values.js";
import {
  AI_SDK_KEYS,
  deriveActions,
  GENAI_KEYS,
  NATIVE_KEYS,
  OPENAI_AGENTS_KEYS,
  OPENINFERENCE_KEYS,
} from "./index.js";

const KEYS = [
  ...new Set(
    [GENAI_KEYS, AI_SDK_KEYS, OPENINFERENCE_KEYS, OPENAI_AGENTS_KEYS, NATIVE_KEYS].flatMap((k) =>
      Object.values(k).flat(),
    ),
  ),
  "llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
  "llm.output_messages.0.message.tool_calls.0.tool_call.__proto__",
  "__proto__",
  "constructor",
  "error",
  "error.type",
  "span_data",
];
const KIND_ATTRIBUTES: Record<string, AttributeValue>[] = [
  { "gen_ai.operation.name": "chat" },
  { "gen_ai.operation.name": "execute_tool" },
  { "ai.operationId": "ai.generateText" },
  { "ai.operationId": "ai.generateText.doGenerate" },
  { "openinference.span.kind": "LLM" },
  { "openinference.span.kind": "GUARDRAIL" },
  { "span_data.type": "generation" },
  { "span_data.type": "custom", "span_data.data.sdk_span_type": "turn" },
  { "trailcheck.kind": "policy" },
];

const hostileValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '[{"type":"tool_call","name":',
    '{"__proto__":{"polluted":true},"name":"x"}',
    '[{"toolName":"t","toolCallId":{"x":1},"input":"{"}]',
    "[".repeat(10_000),
    '{"tool_call":'.repeat(2_000),
    "",
    "null",
  ),
  fc.json().map((j) => j as AttributeValue),
  fc.jsonValue() as fc.Arbitrary<AttributeValue>,
);

describe("hostile attribute values", () => {
  it("never throws and yields one action per non-other record", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...KIND_ATTRIBUTES),
            attrs: fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 8 }),
            parent: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
          }),
          { maxLength: 6 },
        ),
        (specs) => {
          const records = specs.map((s, i) =>
            span({ id: i + 1, parent: s.parent, attributes: { ...s.attrs, ...s.kind } }),
          );
          const actions = deriveActions(records);
          const withRecord = actions.filter((a) => a.hasRecord).length;
          expect(withRecord).toBe(records.filter((r) => r.kind !== "other").length);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps huge output payloads without tool calls unparsed and cheap", () => {
    const big = JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: "x".repeat(5_000_000) }] },
    ]);
    const records = [
      span({ id: 1, attributes: { "gen_ai.operation.name": "chat", "gen_ai.output.messages": big } }),
    ];
    const [llm] = deriveActions(records);
    expect(llm!.facts.toolCalls).toBe("[]");
    expect(llm!.facts.output).toBe(big);
  });

  it("keeps a cut (unparseable) output as the toolCalls fact, with no requests", () => {
    const cut = '[{"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"t","argu';
    const [llm] = deriveActions([
      span({ id: 1, attributes: { "gen_ai.operation.name": "chat", "gen_ai.output.messages": cut } }),
    ]);
    expect(llm!.requestedToolCalls).toEqual([]);
    expect(llm!.facts.toolCalls).toBe(cut);
  });
});

describe("value helpers", () => {
  it("normalises JSON arguments with sorted keys and falls back to trimmed text", () => {
    expect(normaliseArguments('{ "b": 1, "a": {"d": 2, "c": 3} }')).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(normaliseArguments({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(normaliseArguments("  not json ")).toBe("not json");
    expect(normaliseArguments("{broken")).toBe("{broken");
    expect(normaliseArguments(undefined)).toBeUndefined();
  });

  it("reads a dotted path from a flat key, an object value, or JSON text", () => {
    expect(readPath({ "a.b.c": 1 }, "a.b.c")).toEqual({ key: "a.b.c", value: 1 });
    expect(readPath({ "a.b": '{"c":2}' }, "a.b.c")).toEqual({ key: "a.b", value: 2 });
    expect(readPath({ a: { b: { c: 3 } } }, "a.b.c")).toEqual({ key: "a", value: 3 });
    expect(readPath({ "a.b": "{bad" }, "a.b.c")).toBeUndefined();
    expect(readPath({ "a.b": "{}" }, "a.b.__proto__")).toBeUndefined();
  });
});
