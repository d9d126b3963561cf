import { gzipSync } from "node:zlib";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { decodeRpcStatus } from "../ingest/otlp-proto.js";
import { type OtlpReceiver, type OtlpReceiverOptions, startOtlpReceiver } from "./otlp-receiver.js";

/** Two real SDK spans (parent and child) with every attribute value type. */
async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "receiver-test" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("test-scope", "1.2.3");
  const parent = tracer.startSpan("invoke_agent support");
  parent.setAttributes({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support" });
  const ctx = trace.setSpan(context.active(), parent);
  const child = tracer.startSpan("execute_tool refund_payment", {}, ctx);
  child.setAttributes({
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "refund_payment",
    "gen_ai.tool.call.arguments": '{"amount":40}',
    "test.int": 0,
    "test.bool": false,
    "test.double": 2.5,
    "test.array": ["a", "b"],
    "test.empty": "",
  });
  child.addEvent("exception", { "exception.type": "Error", "exception.message": "boom" });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
  child.end();
  parent.end();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

async function withReceiver(
  run: (r: OtlpReceiver) => Promise<void>,
  maxBodyBytes?: number | OtlpReceiverOptions,
): Promise<void> {
  const receiver = await startOtlpReceiver(
    typeof maxBodyBytes === "object" ? maxBodyBytes : { maxBodyBytes },
  );
  try {
    await run(receiver);
  } finally {
    await receiver.close();
  }
}

const post = (url: string, body: Uint8Array | string, headers: Record<string, string>) =>
  fetch(url, { method: "POST", body, headers });

function expectSampleRecords(r: OtlpReceiver, spans: ReadableSpan[]): void {
  const records = r.records();
  expect(records).toHaveLength(2);
  const tool = records.find((x) => x.name === "execute_tool refund_payment")!;
  const agent = records.find((x) => x.name === "invoke_agent support")!;
  expect(tool.kind).toBe("tool");
  expect(agent.kind).toBe("agent");
  expect(tool.traceId).toBe(spans[0]!.spanContext().traceId);
  expect(tool.parentSpanId).toBe(agent.spanId);
  expect(agent.parentSpanId).toBeUndefined();
  expect(tool.attributes).toMatchObject({
    "test.int": 0,
    "test.bool": false,
    "test.double": 2.5,
    "test.array": ["a", "b"],
    "test.empty": "",
    "gen_ai.tool.call.arguments": '{"amount":40}',
  });
  expect(tool.status).toMatchObject({ code: "error", message: "boom", errorType: "Error" });
  expect(tool.events[0]!.name).toBe("exception");
  expect(tool.scope).toEqual({ name: "test-scope", version: "1.2.3" });
  expect(tool.resource["service.name"]).toBe("receiver-test");
  const s = spans.find((x) => x.name === "execute_tool refund_payment")!;
  const startNs = BigInt(s.startTime[0]) * 1_000_000_000n + BigInt(s.startTime[1]);
  expect(tool.start).toBe(startNs.toString());
}

describe("OTLP receiver", () => {
  it("reads OTLP/JSON and answers 200 with an empty JSON ExportTraceServiceResponse", async () => {
    const spans = await sampleSpans();
    await withReceiver(async (r) => {
      const res = await post(r.tracesUrl, JsonTraceSerializer.serializeRequest(spans)!, {
        "content-type": "application/json",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({});
      expectSampleRecords(r, spans);
      expect(r.batches()).toEqual([{ encoding: "json", gzip: false, spans: 2 }]);
    });
  });

  it("reads protobuf (the SDK's own serializer) and gzip, answering in protobuf", async () => {
    const spans = await sampleSpans();
    await withReceiver(async (r) => {
      const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
      const res = await post(r.tracesUrl, gzipSync(bytes), {
        "content-type": "application/x-protobuf",
        "content-encoding": "gzip",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-protobuf");
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      expectSampleRecords(r, spans);
      expect(r.batches()).toEqual([{ encoding: "protobuf", gzip: true, spans: 2 }]);
    });
  });

  it("accepts the real OTLP/proto exporter with gzip compression", async () => {
    const spans = await sampleSpans();
    await withReceiver(async (r) => {
      const exporter = new ProtoExporter({ url: r.tracesUrl, compression: "gzip" as never });
      const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(spans, resolve),
      );
      await exporter.shutdown();
      expect(result.error).toBeUndefined();
      expect(result.code).toBe(0);
      expectSampleRecords(r, spans);
    });
  });

  it("answers a malformed protobuf body with 400 and a google.rpc.Status, and records it", async () => {
    await withReceiver(async (r) => {
      const res = await post(r.tracesUrl, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), {
        "content-type": "application/x-protobuf",
      });
      expect(res.status).toBe(400);
      const status = decodeRpcStatus(new Uint8Array(await res.arrayBuffer()));
      expect(status.code).toBe(3);
      expect(status.message).toMatch(/not a valid OTLP\/protobuf/);
      expect(r.malformed()).toHaveLength(1);
      expect(r.records()).toHaveLength(0);
    });
  });

  it("answers JSON that is not a trace request with 400 naming the field", async () => {
    await withReceiver(async (r) => {
      const bad = JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "xyz", spanId: "1" }] }] }],
      });
      const res = await post(r.tracesUrl, bad, { "content-type": "application/json" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: number; message: string };
      expect(body.code).toBe(3);
      expect(body.message).toMatch(/traceId/);
      const garbage = await post(r.tracesUrl, "{nope", { "content-type": "application/json" });
      expect(garbage.status).toBe(400);
      expect(r.malformed().map((m) => m.status)).toEqual([400, 400]);
    });
  });

  it("answers an unsupported content type with 415 and a body over the limit with 413", async () => {
    await withReceiver(async (r) => {
      const text = await post(r.tracesUrl, "hello", { "content-type": "text/plain" });
      expect(text.status).toBe(415);
      const big = await post(r.tracesUrl, "x".repeat(5000), { "content-type": "application/json" });
      expect(big.status).toBe(413);
      const bomb = await post(r.tracesUrl, gzipSync(Buffer.alloc(100_000)), {
        "content-type": "application/x-protobuf",
        "content-encoding": "gzip",
      });
      expect(bomb.status).toBe(413);
      expect(r.malformed().map((m) => m.status)).toEqual([415, 413, 413]);
    }, 4096);
  });

  // Each request alone is bounded by maxBodyBytes; an agent that sends request after request must
  // not grow the replay's memory without end.
  it("refuses with 413 what would pass the spans or bytes one replay keeps, keeping what came before", async () => {
    const spans = await sampleSpans();
    const body = JsonTraceSerializer.serializeRequest(spans)!;
    const json = { "content-type": "application/json" };
    await withReceiver(
      async (r) => {
        expect((await post(r.tracesUrl, body, json)).status).toBe(200);
        const over = await post(r.tracesUrl, body, json);
        expect(over.status).toBe(413);
        expect(((await over.json()) as { message: string }).message).toMatch(
          /at most 3 spans .* 2 span\(s\)/,
        );
        expect(r.records()).toHaveLength(2);
        expect(r.malformed().map((m) => m.status)).toEqual([413]);
      },
      { maxSpans: 3 },
    );
    await withReceiver(
      async (r) => {
        expect((await post(r.tracesUrl, body, json)).status).toBe(200);
        expect((await post(r.tracesUrl, body, json)).status).toBe(413);
        expect(r.records()).toHaveLength(2);
      },
      { maxTotalBytes: Math.floor(body.length * 1.5) },
    );
  });
});
