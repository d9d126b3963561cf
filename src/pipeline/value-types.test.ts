import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportRequest } from "../audit/otlp-encode.js";
import { readRecords } from "../ingest/index.js";
import { recordsFromOtlpJson } from "../ingest/otlp-json.js";
import { encodeTraceRequest } from "../ingest/otlp-proto.js";
import type { SpanRecord } from "../model/record.js";
import { config } from "../testing/logging-configs.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { traceSize } from "./sampling/trace-size.js";
import { simulate } from "./simulate.js";

/**
 * Attribute values whose plain JSON form reads as another pdata type — an integral double, an int64
 * beyond 2^53, bytes — keep the type the collector sees, from OTLP/JSON and from protobuf, wherever a
 * processor branches on it.
 */
const TRACE = "0102030405060708090a0b0c0d0e0f10";
const SPAN = "0102030405060708";

type AnyValue = Record<string, unknown>;

/** One span with the given span attributes (and resource attributes), as an OTLP/JSON request. */
function request(attrs: Record<string, AnyValue>, resource: Record<string, AnyValue> = {}) {
  const kv = (o: Record<string, AnyValue>) => Object.entries(o).map(([key, value]) => ({ key, value }));
  return {
    resourceSpans: [
      {
        resource: { attributes: kv(resource) },
        scopeSpans: [
          {
            scope: { name: "s" },
            spans: [
              {
                traceId: TRACE,
                spanId: SPAN,
                name: "call",
                startTimeUnixNano: "1000000000",
                endTimeUnixNano: "2000000000",
                attributes: kv(attrs),
              },
            ],
          },
        ],
      },
    ],
  };
}

cleanupAfterEach();

const fromJson = (body: ReturnType<typeof request>) => recordsFromOtlpJson(JSON.parse(JSON.stringify(body)));

/** The records of a request, read from OTLP/JSON in memory and from a `.binpb` file. */
async function bothEncodings(body: ReturnType<typeof request>): Promise<[string, SpanRecord[]][]> {
  const dir = await tempDir();
  const file = join(dir, "trace.binpb");
  await writeFile(file, encodeTraceRequest(body));
  const fromProto: SpanRecord[] = [];
  for await (const r of readRecords(file)) fromProto.push(r);
  return [
    ["OTLP/JSON", fromJson(body)],
    ["protobuf", fromProto],
  ];
}

const run = (records: SpanRecord[], processors: unknown[]) =>
  simulate(records, config({ streams: [{ name: "s", processors }] }), { auditAfterNs: 0n });
const tail = (policies: unknown[]) => ({ tail_sampling: { decision_wait: "1s", policies } });
const kept = (records: SpanRecord[], policies: unknown[], before: unknown[] = []) =>
  run(records, [...before, tail(policies)]).stored.length > 0;

describe("tail_sampling attribute policies read the pdata type", () => {
  const numeric = (min: number, max: number) => ({
    name: "n",
    type: "numeric_attribute",
    numeric_attribute: { key: "n", min_value: min, max_value: max },
  });

  it("numeric_attribute reads a double as 0 (Value.Int), on the span and on the resource", async () => {
    // numeric_tag_filter.go Evaluate: `value := v.Int()`; pcommon Value.Int returns 0 unless the type
    // is ValueTypeInt. A double 5.0 is not in [1, 10] for the collector; it is in [-1, 1].
    for (const body of [request({ n: { doubleValue: 5.0 } }), request({}, { n: { doubleValue: 5 } })]) {
      for (const [label, records] of await bothEncodings(body)) {
        expect(kept(records, [numeric(1, 10)]), label).toBe(false);
        expect(kept(records, [numeric(-1, 1)]), label).toBe(true);
      }
    }
    // An int 5 is read as 5, from either encoding.
    for (const [label, records] of await bothEncodings(request({ n: { intValue: "5" } })))
      expect(kept(records, [numeric(1, 10)]), label).toBe(true);
  });

  it("numeric_attribute compares an int64 beyond 2^53 exactly", async () => {
    // 2^60 + 1 is an int64: in [2^60, 2^61] (min and max are int64 in NewNumericAttributeFilter); the
    // decimal string the record keeps read as 0 before.
    const body = request({ n: { intValue: "1152921504606846977" } });
    for (const [label, records] of await bothEncodings(body)) {
      expect(kept(records, [numeric(2 ** 60, 2 ** 61)]), label).toBe(true);
      expect(kept(records, [numeric(1, 10)]), label).toBe(false);
    }
  });

  it("string_attribute does not match bytes or a big int by their text (Value.Str is empty)", async () => {
    // string_tag_filter.go Evaluate reads `v.Str()`: "" for bytes ("aGk=" is the base64 of "hi") and
    // for ints.
    const policy = (value: string) => ({
      name: "s",
      type: "string_attribute",
      string_attribute: { key: "k", values: [value] },
    });
    for (const [label, records] of await bothEncodings(request({ k: { bytesValue: "aGk=" } })))
      expect(kept(records, [policy("aGk=")]), label).toBe(false);
    const big = request({ k: { intValue: "9007199254740993" } });
    for (const [label, records] of await bothEncodings(big))
      expect(kept(records, [policy("9007199254740993")]), label).toBe(false);
    for (const [label, records] of await bothEncodings(request({ k: { stringValue: "aGk=" } })))
      expect(kept(records, [policy("aGk=")]), label).toBe(true);
  });
});

describe("OTTL conditions read the pdata type", () => {
  const ottl = (condition: string) => [
    { name: "o", type: "ottl_condition", ottl_condition: { span: [condition] } },
  ];
  const body = request(
    {
      d: { doubleValue: 5.0 },
      i: { intValue: "5" },
      big: { intValue: "9007199254740993" },
      b: { bytesValue: "aGk=" },
      m: { kvlistValue: { values: [{ key: "x", value: { doubleValue: 2 } }] } },
      l: { arrayValue: { values: [{ bytesValue: "aGk=" }, { intValue: "7" }] } },
    },
    { rd: { doubleValue: 1 } },
  );

  it("IsDouble, IsInt and IsString follow the type, at the top level and nested", async () => {
    // ottlfuncs func_is_double.go / func_is_int.go / func_is_string.go type-switch on what the path
    // getter gives: float64 for a double, int64 for an int, []byte (not a string) for bytes.
    const cases: [string, boolean][] = [
      ['IsDouble(attributes["d"])', true],
      ['IsInt(attributes["d"])', false],
      ['IsInt(attributes["i"])', true],
      ['IsDouble(attributes["i"])', false],
      ['IsInt(attributes["big"])', true],
      ['IsString(attributes["big"])', false],
      ['IsString(attributes["b"])', false],
      ['IsDouble(attributes["m"]["x"])', true],
      ['IsString(attributes["l"][0])', false],
      ['IsInt(attributes["l"][1])', true],
      ['IsDouble(resource.attributes["rd"])', true],
    ];
    for (const [label, records] of await bothEncodings(body)) {
      for (const [condition, want] of cases)
        expect(kept(records, ottl(condition)), `${label}: ${condition}`).toBe(want);
    }
  });

  it("compares an int64 beyond 2^53 as a number and bytes never equal to a string", async () => {
    // ottl compare.go: int64 against int64 numerically; []byte equals only []byte.
    const cases: [string, boolean][] = [
      ['attributes["big"] > 9007199254740992', true],
      ['attributes["big"] == "9007199254740993"', false],
      ['attributes["b"] == "aGk="', false],
      ['attributes["b"] != "aGk="', true],
      ['attributes["d"] == 5', true],
      // IsMatch renders bytes as hex (StringLikeGetter): "hi" is 6869.
      ['IsMatch(attributes["b"], "^6869$")', true],
      // An int literal is an int64 (grammar.go `Int *int64`), exact beyond 2^53: 2^53 + 1 is not 2^53.
      ['attributes["big"] == 9007199254740993', true],
      ['attributes["big"] == 9007199254740992', false],
      ['attributes["big"] < 9007199254740994', true],
    ];
    for (const [label, records] of await bothEncodings(body)) {
      for (const [condition, want] of cases)
        expect(kept(records, ottl(condition)), `${label}: ${condition}`).toBe(want);
    }
  });
});

describe("OTTL equality of maps and lists compares the types inside", () => {
  // compare.go comparePMap / comparePSlice: pcommon Map.Equal / Slice.Equal, whose Value.Equal compares
  // Type() first (a double 2.0 is not the int 2); a list literal against a slice is reflect.DeepEqual of
  // AsRaw (int64 vs float64 differ).
  const ottl = (condition: string) => [
    { name: "o", type: "ottl_condition", ottl_condition: { span: [condition] } },
  ];
  const body = request({
    mi: { kvlistValue: { values: [{ key: "x", value: { intValue: "2" } }] } },
    mi2: { kvlistValue: { values: [{ key: "x", value: { intValue: "2" } }] } },
    md: { kvlistValue: { values: [{ key: "x", value: { doubleValue: 2 } }] } },
    li: { arrayValue: { values: [{ intValue: "1" }, { intValue: "2" }] } },
    ld: { arrayValue: { values: [{ doubleValue: 1 }, { intValue: "2" }] } },
    lb: { arrayValue: { values: [{ bytesValue: "aGk=" }] } },
  });
  it.each([
    ['attributes["mi"] == attributes["mi2"]', true],
    ['attributes["mi"] == attributes["md"]', false],
    ['attributes["mi"] != attributes["md"]', true],
    ['attributes["li"] == attributes["ld"]', false],
    ['attributes["li"] == [1, 2]', true],
    ['attributes["ld"] == [1, 2]', false],
    ['attributes["ld"] == [1.0, 2]', true],
    ['attributes["lb"] == ["aGk="]', false],
  ])("%s is %s", async (condition, want) => {
    for (const [label, records] of await bothEncodings(body))
      expect(kept(records, ottl(condition)), label).toBe(want);
  });
});

describe("processors keep the types of the values they leave alone and give written values theirs", () => {
  const numeric = [
    { name: "n", type: "numeric_attribute", numeric_attribute: { key: "n", min_value: 1, max_value: 10 } },
  ];

  it("attributes convert to double makes an int a double; to int makes a double an int", () => {
    // type_converter.go convertValue: Int -> SetDouble(float64(v.Int())), Double -> SetInt(int64(v.Double())).
    const convert = (to: string) => ({
      attributes: { actions: [{ key: "n", action: "convert", converted_type: to }] },
    });
    const ints = fromJson(request({ n: { intValue: "5" } }));
    expect(kept(ints, numeric, [convert("double")])).toBe(false);
    const doubles = fromJson(request({ n: { doubleValue: 5.5 } }));
    expect(kept(doubles, numeric, [convert("int")])).toBe(true);
  });

  it("a double stays a double when another key of its map is deleted, redacted or copied over", () => {
    const records = fromJson(request({ n: { doubleValue: 5 }, other: { stringValue: "x" } }));
    const before: unknown[][] = [
      [{ attributes: { actions: [{ key: "other", action: "delete" }] } }],
      [{ attributes: { actions: [{ key: "other", action: "hash" }] } }],
      [{ redaction: { allowed_keys: ["n"] } }],
      [{ transform: { trace_statements: ['set(attributes["other"], "y")'] } }],
      [{ transform: { trace_statements: ["truncate_all(attributes, 0)"] } }],
    ];
    for (const processors of before)
      expect(kept(records, numeric, processors), JSON.stringify(processors)).toBe(false);
    // What set() and from_attribute copy keeps its type (func_set.go copies the pcommon.Value).
    const copyTo = (key: string) => [
      { transform: { trace_statements: [`set(attributes["${key}"], attributes["n"])`] } },
    ];
    const onCopy = [
      { name: "c", type: "numeric_attribute", numeric_attribute: { key: "c", min_value: 1, max_value: 10 } },
    ];
    expect(kept(records, onCopy, copyTo("c"))).toBe(false);
    const upsert = [{ attributes: { actions: [{ key: "c", action: "upsert", from_attribute: "n" }] } }];
    expect(kept(records, onCopy, upsert)).toBe(false);
    // A literal 5.0 is a float64; a literal 5 an int64.
    const literal = (v: string) => [{ transform: { trace_statements: [`set(attributes["c"], ${v})`] } }];
    expect(kept(records, onCopy, literal("5.0"))).toBe(false);
    expect(kept(records, onCopy, literal("5"))).toBe(true);
    // A value written over the double is of the written type: an int from the config.
    const update = [{ attributes: { actions: [{ key: "n", action: "update", value: 5 }] } }];
    expect(kept(records, numeric, update)).toBe(true);
  });

  it("bytes are not masked, replaced or truncated as strings", () => {
    // redaction processor.go processAttrs reads value.Str() ("" for bytes); replace_pattern and
    // truncate_all change only string values. "NDExMTExMTExMTExMTExMQ==" is base64 of 4111111111111111.
    const secret = "NDExMTExMTExMTExMTExMQ==";
    const records = fromJson(request({ b: { bytesValue: secret } }));
    const stored = (processors: unknown[]) => run(records, processors).stored[0]!.record.attributes["b"];
    expect(stored([{ redaction: { allow_all_keys: true, blocked_values: ["MTEx"] } }])).toBe(secret);
    expect(
      stored([{ transform: { trace_statements: ['replace_pattern(attributes["b"], "MTEx", "x")'] } }]),
    ).toBe(secret);
    expect(stored([{ transform: { trace_statements: ["truncate_all(attributes, 4)"] } }])).toBe(secret);
    // A string with the same text is masked.
    const strings = fromJson(request({ b: { stringValue: secret } }));
    expect(
      run(strings, [{ redaction: { allow_all_keys: true, blocked_values: ["MTEx"] } }]).stored[0]!.record
        .attributes["b"],
    ).not.toBe(secret);
  });
});

describe("include/exclude attribute matching (filtermatcher/attributematcher.go)", () => {
  const tagged = (match: Record<string, unknown>) => [
    {
      attributes: {
        include: { match_type: match["match_type"], attributes: [match["attribute"]] },
        actions: [{ key: "hit", action: "insert", value: "yes" }],
      },
    },
  ];
  const hit = (records: SpanRecord[], match: Record<string, unknown>) =>
    run(records, tagged(match)).stored[0]!.record.attributes["hit"] === "yes";

  it("strict compares the type first: bytes never equal a string, a double never an int", () => {
    // attributeValueMatch: `if vi.value.Type() != val.Type() { return false }`.
    const records = fromJson(
      request({ b: { bytesValue: "aGk=" }, d: { doubleValue: 5 }, i: { intValue: "5" } }),
    );
    const strict = (key: string, value: unknown) => ({ match_type: "strict", attribute: { key, value } });
    expect(hit(records, strict("b", "aGk="))).toBe(false);
    expect(hit(records, strict("d", 5))).toBe(false);
    expect(hit(records, strict("i", 5))).toBe(true);
  });

  it("regexp matches strings and numbers by their text, never bytes", () => {
    // attributeStringValue returns errUnexpectedAttributeType for bytes, maps and lists.
    const records = fromJson(request({ b: { bytesValue: "aGk=" }, d: { doubleValue: 5 } }));
    const regexp = (key: string, value: string) => ({ match_type: "regexp", attribute: { key, value } });
    expect(hit(records, regexp("b", "^aGk=$"))).toBe(false);
    expect(hit(records, regexp("d", "^5$"))).toBe(true);
  });
});

describe("sizes and re-encoding follow the type", () => {
  it("bytes_limiting weighs a double as 8 bytes and bytes by their decoded length", () => {
    // OTLP protobuf: double_value is a fixed64 (tag + 8 bytes), int_value a varint, bytes_value its bytes.
    const size = (value: AnyValue) => traceSize(fromJson(request({ v: value })));
    expect(size({ doubleValue: 5 }) - size({ intValue: "5" })).toBe(7);
    expect(size({ stringValue: "aGk=" }) - size({ bytesValue: "aGk=" })).toBe(2);
  });

  it("an OTLP export of the records keeps the types (the audit's store writer)", () => {
    const body = request({
      d: { doubleValue: 5 },
      b: { bytesValue: "aGk=" },
      big: { intValue: "9007199254740993" },
    });
    const records = fromJson(body);
    const again = recordsFromOtlpJson(JSON.parse(JSON.stringify(exportRequest(records))));
    const cond = (c: string) => [{ name: "o", type: "ottl_condition", ottl_condition: { span: [c] } }];
    expect(
      kept(
        again,
        cond('IsDouble(attributes["d"]) and IsInt(attributes["big"]) and not IsString(attributes["b"])'),
      ),
    ).toBe(true);
  });
});
