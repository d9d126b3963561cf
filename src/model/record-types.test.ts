import { describe, expect, it } from "vitest";
import { Scrubber, scrubRecords } from "../incidents/scrub.js";
import { recordsFromOtlpJson } from "../ingest/otlp-json.js";
import { recordsFromTrailcheckJsonl, serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import { isCanonicalRecord } from "../integrity/canonical-record.js";
import { sealedLine } from "../integrity/read-records-for-sealing.js";
import { simulate } from "../pipeline/simulate.js";
import { config } from "../testing/logging-configs.js";
import type { SpanRecord } from "./record.js";
import { valueType } from "./value-types.js";

/**
 * trailcheck JSONL (incident runs, saved counterexamples) and sealed logs keep the pdata types that
 * the values' JSON form does not tell, so an incident recorded from a double 5.0 is replayed with a
 * double: tail_sampling's numeric_attribute reads it as 0 (numeric_tag_filter.go, pcommon Value.Int).
 */
const kv = (o: Record<string, unknown>) => Object.entries(o).map(([key, value]) => ({ key, value }));
const otlp = (attrs: Record<string, unknown>, resource: Record<string, unknown> = {}) =>
  recordsFromOtlpJson({
    resourceSpans: [
      {
        resource: { attributes: kv(resource) },
        scopeSpans: [
          {
            spans: [
              {
                traceId: "0102030405060708090a0b0c0d0e0f10",
                spanId: "0102030405060708",
                name: "call",
                startTimeUnixNano: "1000000000",
                endTimeUnixNano: "2000000000",
                attributes: kv(attrs),
                events: [{ name: "e", timeUnixNano: "1500000000", attributes: kv(attrs) }],
              },
            ],
          },
        ],
      },
    ],
  });

const typed = () =>
  otlp(
    {
      n: { doubleValue: 5 },
      big: { intValue: "9007199254740993" },
      b: { bytesValue: "aGk=" },
      m: { kvlistValue: { values: [{ key: "x", value: { doubleValue: 2 } }] } },
      l: { arrayValue: { values: [{ stringValue: "s" }, { bytesValue: "aGk=" }] } },
      s: { stringValue: "plain" },
    },
    { r: { doubleValue: 1 } },
  );

const sampledByNumeric = (records: SpanRecord[]) =>
  simulate(
    records,
    config({
      streams: [
        {
          name: "s",
          processors: [
            {
              tail_sampling: {
                decision_wait: "1s",
                policies: [
                  {
                    name: "n",
                    type: "numeric_attribute",
                    numeric_attribute: { key: "n", min_value: 1, max_value: 10 },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
    { auditAfterNs: 0n },
  ).stored.length > 0;

function expectTyped(r: SpanRecord): void {
  expect(valueType(r.attributes, "n")).toBe("Double");
  expect(valueType(r.attributes, "big")).toBe("Int");
  expect(valueType(r.attributes, "b")).toBe("Bytes");
  expect(valueType(r.attributes["m"] as Record<string, number>, "x")).toBe("Double");
  expect(valueType(r.attributes["l"] as string[], 1)).toBe("Bytes");
  expect(valueType(r.attributes, "s")).toBe("Str");
  expect(valueType(r.resource, "r")).toBe("Double");
  expect(valueType(r.events[0]!.attributes, "n")).toBe("Double");
}

describe("record types in trailcheck JSONL", () => {
  it("are written as `types` and read back onto the values", () => {
    const text = serializeRecordsJsonl(typed());
    expect(JSON.parse(text).types).toEqual({
      attributes: { n: "Double", big: "Int", b: "Bytes", m: { x: "Double" }, l: { 1: "Bytes" } },
      resource: { r: "Double" },
      events: { 0: { n: "Double", big: "Int", b: "Bytes", m: { x: "Double" }, l: { 1: "Bytes" } } },
    });
    const [again] = recordsFromTrailcheckJsonl(text);
    expectTyped(again!);
    expect(sampledByNumeric(typed())).toBe(false);
    expect(sampledByNumeric([again!])).toBe(false);
    // Written again, the same text.
    expect(serializeRecordsJsonl([again!])).toBe(text);
  });

  it("a record without hidden types is written as before, with no `types`", () => {
    const text = serializeRecordsJsonl(otlp({ n: { intValue: "5" }, d: { doubleValue: 5.5 } }));
    expect(text).not.toContain('"types"');
    expect(sampledByNumeric(recordsFromTrailcheckJsonl(text))).toBe(true);
  });

  it("keeps the types through the incident scrubber", () => {
    const scrubbed = scrubRecords(typed(), new Scrubber({}));
    expectTyped(scrubbed[0]!);
    expectTyped(recordsFromTrailcheckJsonl(serializeRecordsJsonl(scrubbed))[0]!);
  });

  it("refuses a `types` entry that does not fit the record, naming the field", () => {
    const line = (types: unknown) =>
      JSON.stringify({ ...JSON.parse(serializeRecordsJsonl(otlp({ s: { stringValue: "x" } }))), types });
    const fails = (types: unknown) => {
      try {
        recordsFromTrailcheckJsonl(line(types), { file: "run.jsonl" });
      } catch (err) {
        return (err as Error).message;
      }
      return "read";
    };
    expect(fails({ attributes: { s: "Double" } })).toBe(
      'run.jsonl:1 (types.attributes["s"]): the value "x" is not of type Double',
    );
    expect(fails({ attributes: { gone: "Int" } })).toBe(
      'run.jsonl:1 (types.attributes["gone"]): no such value in the record',
    );
    expect(fails({ attributes: { s: "Float" } })).toMatch(/^run\.jsonl:1 \(types\.attributes\.s\): /);
    expect(fails({ spans: {} })).toMatch(/^run\.jsonl:1 \(types\): /);
  });
});

describe("record types in sealed logs", () => {
  it("a sealed line carries them, and is read back with them (not sealed as it lies)", () => {
    const line = sealedLine(typed()[0]!);
    expect(JSON.parse(line).types.attributes.n).toBe("Double");
    expect(isCanonicalRecord(Buffer.from(line), 0, line.length)).toBe(false);
    const [again] = recordsFromTrailcheckJsonl(line);
    expectTyped(again!);
    expect(sealedLine(again!)).toBe(line);
    // A record without hidden types seals to the same line as before.
    const plain = otlp({ s: { stringValue: "x" } })[0]!;
    const { source: _s, ...rest } = plain;
    expect(sealedLine(plain)).toBe(JSON.stringify(rest));
  });
});
