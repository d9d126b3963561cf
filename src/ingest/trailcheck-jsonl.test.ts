import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { InputError } from "../errors.js";
import type { SpanRecord } from "../model/record.js";
import { readRecords } from "./index.js";
import { recordsFromOpenAIAgents } from "./openai-agents.js";
import { recordsFromOtlpJson } from "./otlp-json.js";
import { recordsFromTrailcheckJsonl, serializeRecordsJsonl } from "./trailcheck-jsonl.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8"));
const records: SpanRecord[] = [
  ...recordsFromOtlpJson(fixture("otlp-basic.json"), { file: "otlp-basic.json" }),
  ...recordsFromOpenAIAgents(fixture("agents-export.json")),
];

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe("trailcheck JSONL", () => {
  it("round-trips records exactly", async () => {
    const text = serializeRecordsJsonl(records);
    expect(text.split("\n")).toHaveLength(records.length + 1);
    const back = recordsFromTrailcheckJsonl(text);
    expect(back).toEqual(records);
    expect(serializeRecordsJsonl(back)).toBe(text);
    expect(recordsFromTrailcheckJsonl(serializeRecordsJsonl(back))).toEqual(back);

    const dir = mkdtempSync(join(tmpdir(), "trailcheck-jsonl-"));
    const file = join(dir, "records.jsonl");
    writeFileSync(file, text);
    expect(await collect(readRecords(file))).toEqual(records);
    const one = await collect(readRecords(file, { traceId: "0af7651916cd43dd8448eb211c80319c" }));
    expect(one.map((r) => r.name)).toEqual(["chat gpt-4o"]);
  });

  it("keeps values exactly: big ints as strings, nanoseconds, nested attributes", () => {
    const [r] = recordsFromTrailcheckJsonl(serializeRecordsJsonl([records[1]!]));
    expect(r!.attributes.big).toBe("9007199254740993");
    expect(r!.start).toBe("1735689600100000000");
    expect(r!.attributes.map).toEqual({ inner: "v", deep: { x: false } });
  });

  it("fills defaults for minimal lines", () => {
    const [r] = recordsFromTrailcheckJsonl(
      '{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"n","kind":"tool","start":"1","end":"2"}\n',
    );
    expect(r).toMatchObject({
      convention: "unknown",
      spanKind: 0,
      status: { code: "unset" },
      attributes: {},
      events: [],
    });
  });

  it("turns zod issues into errors with line and field path", () => {
    const good = serializeRecordsJsonl([records[0]!]);
    const bad = JSON.stringify({
      ...records[0],
      spanId: "XYZ",
      attributes: { "a.b": { c: [1, undefined] } },
    });
    let err: InputError | undefined;
    try {
      recordsFromTrailcheckJsonl(`${good}\n${bad}\n`, { file: "r.jsonl" });
    } catch (e) {
      err = e as InputError;
    }
    expect(err?.code).toBe("bad-record");
    expect(err?.message).toMatchInlineSnapshot(`"r.jsonl:3 (spanId): 16 lowercase hex digits"`);
    let nested: InputError | undefined;
    try {
      recordsFromTrailcheckJsonl(JSON.stringify({ ...records[0], kind: "robot" }));
    } catch (e) {
      nested = e as InputError;
    }
    expect(nested?.message).toMatchInlineSnapshot(
      `"line 1 (kind): Invalid option: expected one of "agent"|"llm"|"tool"|"policy"|"handoff"|"other""`,
    );
  });
});
