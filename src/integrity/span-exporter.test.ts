import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { SpanRecordSchema } from "../model/record.js";
import { generateKeyPair } from "./keys.js";
import { SealingSpanExporter } from "./span-exporter.js";
import { verifyLogDir } from "./verify-log.js";
import { SealedLogWriter } from "./writer.js";

describe("SealingSpanExporter", () => {
  it("seals SDK spans as canonical records that verify", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-otel-"));
    const pems = generateKeyPair();
    const writer = await SealedLogWriter.open({
      dir,
      privateKey: createPrivateKey(pems.privatePem),
      origin: "test/otel",
      checkpointEvery: 2,
    });
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new SealingSpanExporter(writer))],
    });
    const tracer = provider.getTracer("agent", "1.2.3");
    const agent = tracer.startSpan("invoke_agent helper", {
      attributes: { "gen_ai.operation.name": "invoke_agent" },
    });
    const tool = tracer.startSpan(
      "execute_tool search",
      {
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "search",
          "gen_ai.tool.call.arguments": '{"q":"x"}',
        },
      },
      trace.setSpan(context.active(), agent),
    );
    tool.setStatus({ code: SpanStatusCode.ERROR, message: "timeout" });
    tool.addEvent("retry", { attempt: 2 });
    tool.end();
    agent.end();
    await provider.shutdown();

    const lines = (await readFile(join(dir, "segments/000000000000.jsonl"), "utf8")).trim().split("\n");
    const records = lines.map((l) => SpanRecordSchema.parse(JSON.parse(l)));
    expect(records.map((r) => [r.name, r.kind, r.convention])).toEqual([
      ["execute_tool search", "tool", "genai"],
      ["invoke_agent helper", "agent", "genai"],
    ]);
    expect(records[0]!.parentSpanId).toBe(records[1]!.spanId);
    expect(records[0]!.status).toEqual({ code: "error", message: "timeout" });
    expect(records[0]!.events).toMatchObject([{ name: "retry", attributes: { attempt: 2 } }]);
    expect(records[0]!.scope).toEqual({ name: "agent", version: "1.2.3" });
    expect(BigInt(records[0]!.end)).toBeGreaterThanOrEqual(BigInt(records[0]!.start));

    const result = await verifyLogDir(dir, createPublicKey(pems.publicPem));
    expect(result.findings).toEqual([]);
    expect(result.stats.records).toBe(2);
    await rm(dir, { recursive: true });
  });
});
