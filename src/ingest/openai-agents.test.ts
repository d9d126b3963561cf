import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SpanRecordSchema } from "../model/record.js";
import { thrownInputError } from "../testing/thrown.js";
import { readRecords } from "./index.js";
import { recordsFromOpenAIAgents } from "./openai-agents.js";

const path = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const exportBody = JSON.parse(readFileSync(path("agents-export.json"), "utf8"));
const T = "04d4f9ec4d24f4372fbed03b07876904";

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe("OpenAI Agents SDK exports", () => {
  const records = recordsFromOpenAIAgents(exportBody, { file: "agents-export.json" });
  const byType = (type: string) => records.find((r) => r.attributes["span_data.type"] === type)!;

  it("reads the exporter payload into valid, classified records", () => {
    expect(records.map((r) => [r.name, r.kind, r.convention])).toEqual([
      ["support-agent", "agent", "openai-agents"],
      ["turn", "other", "openai-agents"],
      ["lookup_order", "tool", "openai-agents"],
      ["no-card-numbers", "policy", "openai-agents"],
      ["handoff", "handoff", "openai-agents"],
      ["generation", "llm", "openai-agents"],
    ]);
    for (const r of records) expect(SpanRecordSchema.parse(r)).toEqual(r);
  });

  it("maps ids, keeping the originals as attributes", () => {
    const tool = byType("function");
    expect(tool.traceId).toBe(T);
    expect(tool.spanId).toBe("cf0ed9bd071e4122");
    expect(tool.parentSpanId).toBe("9b602f7e98d44e5c");
    expect(tool.attributes["openai_agents.span_id"]).toBe("span_cf0ed9bd071e4122846552ad");
    expect(tool.attributes["openai_agents.parent_id"]).toBe("span_9b602f7e98d44e5cb1d60a23");
    expect(tool.attributes["openai_agents.trace_id"]).toBe(`trace_${T}`);
    expect(byType("agent").parentSpanId).toBeUndefined();
    // A parent_id naming the trace itself means a root span.
    expect(byType("handoff").parentSpanId).toBeUndefined();
  });

  it("turns ISO times into exact nanoseconds; an open span ends where it starts", () => {
    expect(byType("agent").start).toBe("1735689600123456000");
    expect(byType("agent").end).toBe("1735689602500000000");
    expect(byType("function").start).toBe("1735689600300000001");
    expect(byType("guardrail").end).toBe(byType("guardrail").start);
    expect(byType("handoff").start).toBe("1735689600000000000");
  });

  it("flattens span_data, custom data and trace-level attributes", () => {
    expect(byType("agent").attributes).toMatchObject({
      "span_data.name": "support-agent",
      "span_data.handoffs": '["billing"]',
      "span_data.tools": '["lookup_order"]',
      "span_data.output_type": "text",
    });
    expect(byType("custom").attributes).toMatchObject({
      "span_data.type": "custom",
      "span_data.name": "turn",
      "span_data.data.sdk_span_type": "turn",
      "span_data.data.turn": 1,
      "span_data.data.usage": '{"input_tokens":190,"output_tokens":20}',
    });
    expect(byType("guardrail").attributes["span_data.triggered"]).toBe(true);
    expect(byType("handoff").attributes).toMatchObject({
      "span_data.from_agent": "support-agent",
      "span_data.to_agent": "billing",
    });
    expect(byType("generation").attributes["span_data.model"]).toBe("gpt-4o");
    expect(byType("generation").attributes["span_data.input"]).toBe('[{"role":"user","content":"hi"}]');
    for (const r of records) {
      for (const v of Object.values(r.attributes))
        expect(["string", "number", "boolean"]).toContain(typeof v);
      expect(r.resource).toEqual({
        "openai_agents.workflow_name": "Customer support",
        "openai_agents.group_id": "sess-1",
        "openai_agents.metadata.channel": "chat",
        "openai_agents.metadata.tier": 2,
      });
    }
  });

  it("maps an error to an error status with its message", () => {
    expect(byType("generation").status).toEqual({ code: "error", message: "Rate limited" });
    expect(byType("generation").attributes["openai_agents.error.data"]).toBe('{"status":429}');
    expect(byType("agent").status).toEqual({ code: "unset" });
  });

  it("reads a plain array, {traces, spans}, and JSONL with the trace object last", async () => {
    const fromArray = recordsFromOpenAIAgents(exportBody.data);
    expect(fromArray.map((r) => r.spanId)).toEqual(records.map((r) => r.spanId));
    const split = await collect(readRecords(path("agents-split.json")));
    expect(split.map((r) => r.name)).toEqual(["support-agent", "turn"]);
    expect(split[0]!.resource["openai_agents.workflow_name"]).toBe("Customer support");
    const lines = await collect(readRecords(path("agents.jsonl")));
    expect(lines.map((r) => [r.name, r.source?.line])).toEqual([
      ["support-agent", 1],
      ["turn", 2],
      ["lookup_order", 3],
    ]);
    expect(lines[2]!.resource["openai_agents.group_id"]).toBe("sess-1");
  });

  it("filters by trace id, accepting the SDK's trace_ form", async () => {
    expect(await collect(readRecords(path("agents-export.json"), { traceId: `trace_${T}` }))).toHaveLength(6);
    expect(await collect(readRecords(path("agents.jsonl"), { traceId: "f".repeat(32) }))).toHaveLength(0);
  });

  it("reads concatenated arrays, as a file exporter appending batches writes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailcheck-agents-"));
    const file = join(dir, "appended.json");
    const [trace, ...spans] = exportBody.data;
    writeFileSync(
      file,
      `${JSON.stringify(spans.slice(0, 2), null, 2)}\n${JSON.stringify([trace, ...spans.slice(2)], null, 2)}\n`,
    );
    const got = await collect(readRecords(file));
    expect(got.map((r) => r.name).sort()).toEqual(records.map((r) => r.name).sort());
    expect(got.every((r) => r.resource["openai_agents.workflow_name"] === "Customer support")).toBe(true);
  });

  it("hashes ids that are not in the SDK's form, consistently", () => {
    const [r] = recordsFromOpenAIAgents([
      {
        object: "trace.span",
        id: "custom-span",
        trace_id: "my-trace",
        started_at: "2025-01-01T00:00:00Z",
        span_data: { type: "custom", name: "x", data: {} },
      },
    ]);
    expect(r!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(r!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(recordsFromOpenAIAgents([{ object: "trace", id: "my-trace" }, null])).toEqual([]);
  });

  it("names the item and field of invalid data", () => {
    const bad = { data: [exportBody.data[0], { ...exportBody.data[1], started_at: "soon" }] };
    expect(
      thrownInputError(() => recordsFromOpenAIAgents(bad, { file: "a.json" })).message,
    ).toMatchInlineSnapshot(`"a.json (data[1].started_at): expected an ISO 8601 time, got 'soon'"`);
    const noData = [{ ...exportBody.data[1], span_data: undefined }];
    expect(thrownInputError(() => recordsFromOpenAIAgents(noData)).location.field).toBe("[0].span_data");
    expect(thrownInputError(() => recordsFromOpenAIAgents({ foo: 1 })).code).toBe("bad-trace");
    expect(thrownInputError(() => recordsFromOpenAIAgents([{ hello: 1 }])).location.field).toBe("[0].object");
    // Item types from newer SDKs are skipped.
    expect(recordsFromOpenAIAgents([{ object: "trace.event" }])).toEqual([]);
  });

  it("does not let __proto__ keys pollute prototypes", () => {
    const hostile = JSON.parse(
      `[{"object":"trace","id":"trace_${T}","metadata":{"__proto__":{"polluted":true}}},
        {"object":"trace.span","id":"span_cf0ed9bd071e4122846552ad","trace_id":"trace_${T}","started_at":"2025-01-01T00:00:00Z",
         "span_data":{"type":"custom","name":"x","__proto__":{"polluted":true},"data":{"__proto__":"v"}}}]`,
    );
    const [r] = recordsFromOpenAIAgents(hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r!.attributes["span_data.__proto__"]).toBe('{"polluted":true}');
    expect(r!.attributes["span_data.data.__proto__"]).toBe("v");
    expect(r!.resource["openai_agents.metadata.__proto__"]).toBe('{"polluted":true}');
  });
});
