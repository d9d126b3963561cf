import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SpanRecordSchema } from "../model/record.js";
import { thrownInputError } from "../testing/thrown.js";
import { recordsFromOtlpJson } from "./otlp-json.js";

const fixture = JSON.parse(readFileSync(new URL("./testdata/otlp-basic.json", import.meta.url), "utf8"));
const A = "5b8efff798038103d269b633813fc60c";

function span(extra: Record<string, unknown> = {}) {
  return {
    traceId: A,
    spanId: "eee19b7ec3c1b174",
    name: "s",
    startTimeUnixNano: "1",
    endTimeUnixNano: "2",
    ...extra,
  };
}
const body = (...spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

describe("recordsFromOtlpJson", () => {
  const records = recordsFromOtlpJson(fixture, { file: "otlp-basic.json" });

  it("reads every span with its resource and scope, each a valid SpanRecord", () => {
    expect(records.map((r) => r.name)).toEqual([
      "ai.generateText",
      "ai.toolCall",
      "policy.check",
      "chat gpt-4o",
    ]);
    for (const r of records) expect(SpanRecordSchema.parse(r)).toEqual(r);
    expect(records[0]!.resource).toEqual({ "service.name": "support-agent" });
    expect(records[0]!.scope).toEqual({ name: "ai", version: "6.0.0" });
    expect(records[2]!.scope).toEqual({ name: "policy" });
    expect(records[3]!.resource).toEqual({ "service.name": "other" });
    expect(records[3]!.scope).toBeUndefined();
    expect(records[0]!.source).toEqual({ file: "otlp-basic.json" });
  });

  it("lowercases hex ids and converts base64 ids to hex", () => {
    expect(records[0]!.traceId).toBe(A);
    expect(records[0]!.spanId).toBe("eee19b7ec3c1b174");
    expect(records[1]!.traceId).toBe(A);
    expect(records[1]!.spanId).toBe("0102030405060708");
    expect(records[1]!.parentSpanId).toBe("eee19b7ec3c1b174");
    expect(records[0]!.parentSpanId).toBeUndefined();
  });

  it("keeps int64 timestamps exact whether strings or numbers", () => {
    expect(records[1]!.start).toBe("1735689600100000000");
    expect(records[1]!.end).toBe("1735689600200000000");
    const [r] = recordsFromOtlpJson(
      body(span({ startTimeUnixNano: 1700000000000000000, endTimeUnixNano: "007" })),
    );
    expect(r!.start).toBe("1700000000000000000");
    expect(r!.end).toBe("7");
  });

  it("converts every AnyValue variant", () => {
    const a = records[1]!.attributes;
    expect(a.count).toBe(42);
    expect(a.big).toBe("9007199254740993");
    expect(a.n).toBe(7);
    expect(a.ratio).toBe(0.5);
    expect(a.ok).toBe(true);
    expect(a.blob).toBe("aGVsbG8=");
    expect(a.list).toEqual(["a", 1, null]);
    expect(a.map).toEqual({ inner: "v", deep: { x: false } });
    expect(a.empty).toBeNull();
  });

  it("reads enums as integers or names, and status with error type and message", () => {
    expect(records[0]!.spanKind).toBe(1);
    expect(records[1]!.spanKind).toBe(3);
    expect(records[0]!.status).toEqual({ code: "unset" });
    expect(records[1]!.status).toEqual({
      code: "error",
      errorType: "RefundDenied",
      message: "over the limit",
    });
    expect(records[2]!.status).toEqual({
      code: "error",
      message: "denied by rule R1",
      errorType: "PolicyDenied",
    });
    expect(records[3]!.status).toEqual({ code: "ok" });
    expect(records[1]!.events).toEqual([
      {
        name: "exception",
        time: "1735689600150000000",
        attributes: { "exception.type": "RefundDenied", "exception.message": "over the limit" },
      },
    ]);
  });

  it("classifies every record", () => {
    expect(records.map((r) => [r.kind, r.convention])).toEqual([
      ["agent", "ai-sdk"],
      ["tool", "ai-sdk"],
      ["policy", "native"],
      ["llm", "genai"],
    ]);
  });

  it("filters by trace id without converting other traces", () => {
    const only = recordsFromOtlpJson(fixture, {}, { traceId: "0af7651916cd43dd8448eb211c80319c" });
    expect(only.map((r) => r.name)).toEqual(["chat gpt-4o"]);
    // A broken span of another trace is skipped, not converted.
    const bad = body(span({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: 5 }), span());
    expect(recordsFromOtlpJson(bad, {}, { traceId: A })).toHaveLength(1);
  });

  it("accepts empty requests and ignores unknown fields", () => {
    expect(recordsFromOtlpJson({})).toEqual([]);
    expect(recordsFromOtlpJson({ resourceSpans: [{ foo: 1, scopeSpans: [{ spans: [] }] }], bar: 2 })).toEqual(
      [],
    );
    expect(recordsFromOtlpJson(body(span({ flags: 257, links: [{}], traceState: "x" })))).toHaveLength(1);
  });

  it("names file, line and field path for invalid data", () => {
    const where = { file: "t.jsonl", line: 3 };
    expect(
      thrownInputError(() => recordsFromOtlpJson(body(span({ traceId: "abc" })), where)).message,
    ).toMatchInlineSnapshot(
      `"t.jsonl:3 (resourceSpans[0].scopeSpans[0].spans[0].traceId): expected 32 hex digits (or base64 of 16 bytes), got 'abc'"`,
    );
    const second = {
      resourceSpans: [{ scopeSpans: [{ spans: [] }, { spans: [span(), span(), span(), {}] }] }],
    };
    expect(thrownInputError(() => recordsFromOtlpJson(second, where)).message).toMatchInlineSnapshot(
      `"t.jsonl:3 (resourceSpans[0].scopeSpans[1].spans[3].traceId): missing"`,
    );
    const attr = span({
      attributes: [{ key: "k", value: { arrayValue: { values: [{ intValue: "x1" }] } } }],
    });
    expect(thrownInputError(() => recordsFromOtlpJson(body(attr), where)).message).toMatchInlineSnapshot(
      `"t.jsonl:3 (resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0].intValue): expected an integer, got string "x1""`,
    );
    const e = thrownInputError(() => recordsFromOtlpJson(body(span({ kind: 9 })), where));
    expect(e.code).toBe("bad-trace");
    expect(e.location).toEqual({
      file: "t.jsonl",
      line: 3,
      field: "resourceSpans[0].scopeSpans[0].spans[0].kind",
    });
  });

  it.each([
    ["spanId", { spanId: "0000000000000000" }, "an all-zero id is invalid"],
    ["spanId", { spanId: "eee19b7ec3c1b17" }, "expected 16 hex digits"],
    ["parentSpanId", { parentSpanId: "zz" }, "expected 16 hex digits"],
    ["startTimeUnixNano", { startTimeUnixNano: undefined }, "missing"],
    ["endTimeUnixNano", { endTimeUnixNano: -5 }, "unix nanoseconds"],
    ["name", { name: 5 }, "expected a string"],
    ["status.code", { status: { code: "BAD" } }, "expected 0–2"],
    ["events[0].timeUnixNano", { events: [{ name: "e" }] }, "missing"],
    ["attributes[0].key", { attributes: [{ value: {} }] }, "missing"],
    ["attributes", { attributes: {} }, "expected an array"],
  ])("rejects a bad %s", (field, extra, message) => {
    const e = thrownInputError(() => recordsFromOtlpJson(body(span(extra))));
    expect(e.location.field).toBe(`resourceSpans[0].scopeSpans[0].spans[0].${field}`);
    expect(e.message).toContain(message);
  });

  it("rejects a body that is not a request", () => {
    expect(thrownInputError(() => recordsFromOtlpJson([])).message).toMatchInlineSnapshot(
      `"expected an OTLP ExportTraceServiceRequest object, got an array"`,
    );
    expect(thrownInputError(() => recordsFromOtlpJson({ resourceSpans: {} })).location.field).toBe(
      "resourceSpans",
    );
  });

  it("survives hostile input: __proto__ keys, deep nesting, huge strings", () => {
    const hostile = JSON.parse(
      `{"resourceSpans":[{"resource":{"attributes":[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}}]},
        "scopeSpans":[{"spans":[{"traceId":"${A}","spanId":"eee19b7ec3c1b174","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"1",
        "__proto__":{"polluted":true},
        "attributes":[{"key":"__proto__","value":{"stringValue":"p"}},{"key":"constructor","value":{"kvlistValue":{"values":[{"key":"__proto__","value":{"boolValue":true}}]}}}]}]}]}]}`,
    );
    const [r] = recordsFromOtlpJson(hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r!.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(r!.attributes, "__proto__")?.value).toBe("p");
    expect(Object.keys(r!.resource)).toEqual(["__proto__"]);

    let deep: unknown = { stringValue: "bottom" };
    for (let i = 0; i < 5000; i++) deep = { arrayValue: { values: [deep] } };
    const e = thrownInputError(() =>
      recordsFromOtlpJson(body(span({ attributes: [{ key: "d", value: deep }] }))),
    );
    expect(e.message).toContain("nested deeper than 64 levels");

    const huge = "x".repeat(20_000_000);
    const [h] = recordsFromOtlpJson(body(span({ attributes: [{ key: "h", value: { stringValue: huge } }] })));
    expect((h!.attributes.h as string).length).toBe(20_000_000);
    expect(
      thrownInputError(() => recordsFromOtlpJson(body(span({ traceId: huge })))).message.length,
    ).toBeLessThan(300);
  });
});
