// guardTools against the real AI SDK, v6 (`ai`) and v5 (`ai-v5`), with scripted mock models.
import { trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { generateText as generateV6, stepCountIs as stepsV6, tool as toolV6 } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { generateText as generateV5, stepCountIs as stepsV5, tool as toolV5 } from "ai-v5";
import { MockLanguageModelV2 } from "ai-v5/test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { guardTools } from "./ai-sdk.js";
import { resultSha256 } from "./digest.js";
import { openLedger } from "./open-ledger.js";
import { readLedger } from "./read-ledger.js";
import { failingSink, inMemoryTracing } from "./testdata/fixture.js";

cleanupAfterEach();
const { exporter } = inMemoryTracing();
afterEach(() => exporter.reset());

const LOOKUP = { toolCallId: "call_lookup_1", toolName: "lookup_order", input: { orderId: "A-1001" } };
const REFUND = {
  toolCallId: "call_refund_2",
  toolName: "refund_payment",
  input: { orderId: "A-1001", amount: 40 },
};
const ORDER = { orderId: "A-1001", total: 40 };

function v6Model() {
  const usage = {
    inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 5, text: 5, reasoning: 0 },
  };
  const step = (content: object[], unified: "tool-calls" | "stop") => ({
    content,
    finishReason: { unified, raw: unified },
    usage,
    warnings: [],
  });
  const call = (c: typeof LOOKUP) => ({ type: "tool-call", ...c, input: JSON.stringify(c.input) });
  return new MockLanguageModelV3({
    doGenerate: [
      step([call(LOOKUP)], "tool-calls"),
      step([call(REFUND)], "tool-calls"),
      step([{ type: "text", text: "Refunded." }], "stop"),
    ] as never,
  });
}

function v5Model() {
  const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
  const step = (content: object[], finishReason: "tool-calls" | "stop") => ({
    content,
    finishReason,
    usage,
    warnings: [],
  });
  const call = (c: typeof LOOKUP) => ({ type: "tool-call", ...c, input: JSON.stringify(c.input) });
  return new MockLanguageModelV2({
    doGenerate: [
      step([call(LOOKUP)], "tool-calls"),
      step([call(REFUND)], "tool-calls"),
      step([{ type: "text", text: "Refunded." }], "stop"),
    ] as never,
  });
}

const telemetry = { isEnabled: true, functionId: "support-agent", tracer: trace.getTracer("ai") };
const toolSpan = (spans: ReadableSpan[], callId: string) =>
  spans.find((s) => s.name === "ai.toolCall" && s.attributes["ai.toolCall.id"] === callId)!;

/** One agent run on either SDK version, its tools guarded. */
async function runAgent(
  version: 5 | 6,
  guard: Parameters<typeof guardTools>[1],
  refund = vi.fn(async () => "R-5001"),
) {
  const lookup = vi.fn(async () => ORDER);
  const result =
    version === 6
      ? await generateV6({
          model: v6Model(),
          prompt: "refund A-1001",
          stopWhen: stepsV6(5),
          experimental_telemetry: telemetry,
          tools: guardTools(
            {
              lookup_order: toolV6({ inputSchema: z.object({ orderId: z.string() }), execute: lookup }),
              refund_payment: toolV6({
                inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
                execute: refund,
              }),
            },
            guard,
          ),
        })
      : await generateV5({
          model: v5Model(),
          prompt: "refund A-1001",
          stopWhen: stepsV5(5),
          experimental_telemetry: telemetry,
          tools: guardTools(
            {
              lookup_order: toolV5({ inputSchema: z.object({ orderId: z.string() }), execute: lookup }),
              refund_payment: toolV5({
                inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
                execute: refund,
              }),
            },
            guard,
          ),
        });
  // The two versions' step types differ; the parts compared here have the same shape in both.
  const steps = result.steps as readonly { content: readonly { type: string; error?: unknown }[] }[];
  const toolResults = steps
    .flatMap((s) => s.content)
    .filter((p) => p.type === "tool-result" || p.type === "tool-error");
  return { result, toolResults, lookup, refund, spans: exporter.getFinishedSpans() };
}

describe.each([6, 5] as const)("guardTools on AI SDK v%i", (version) => {
  it("records every call in the ledger before it runs, with its ai.toolCall span's ids", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    const { result, spans } = await runAgent(version, { ledger });
    await ledger.close();
    expect(result.text).toBe("Refunded.");
    const records = (await readLedger(dir)).records;
    expect(records.map((r) => r.type)).toEqual([
      "tool-call.start",
      "tool-call.end",
      "tool-call.start",
      "tool-call.end",
    ]);
    for (const [call, output] of [
      [LOOKUP, ORDER],
      [REFUND, "R-5001"],
    ] as const) {
      const span = toolSpan(spans, call.toolCallId).spanContext();
      const mine = records.filter((r) => "callId" in r && r.callId === call.toolCallId);
      expect(mine).toEqual([
        {
          type: "tool-call.start",
          traceId: span.traceId,
          spanId: span.spanId,
          toolName: call.toolName,
          callId: call.toolCallId,
          arguments: call.input,
          at: expect.any(String),
        },
        {
          type: "tool-call.end",
          traceId: span.traceId,
          spanId: span.spanId,
          toolName: call.toolName,
          callId: call.toolCallId,
          outcome: "ok",
          resultSha256: resultSha256(output),
          at: expect.any(String),
        },
      ]);
    }
  });

  it("block: a closed ledger refuses each call as a tool error, with a deny decision under its span", async () => {
    const ledger = await openLedger({ dir: await tempDir() });
    await ledger.close();
    const { result, toolResults, lookup, refund, spans } = await runAgent(version, { ledger, mode: "block" });
    expect(result.text).toBe("Refunded.");
    expect(lookup).not.toHaveBeenCalled();
    expect(refund).not.toHaveBeenCalled();
    expect(toolResults.map((p) => p.type)).toEqual(["tool-error", "tool-error"]);
    expect(String((toolResults[1] as { error: unknown }).error)).toMatch(
      /refund_payment was not run: trailcheck guard could not record the call \(call_refund_2\)/,
    );
    const refundSpan = toolSpan(spans, REFUND.toolCallId);
    const policy = spans.find(
      (s) =>
        s.name === "policy trailcheck.guard" && s.attributes["policy.tool_call.id"] === REFUND.toolCallId,
    )!;
    expect(policy.parentSpanContext?.spanId).toBe(refundSpan.spanContext().spanId);
    expect(policy.attributes).toMatchObject({
      "policy.decision": "deny",
      "policy.reason": "ledger-unavailable",
    });
  });

  it("flag: a failing sink lets the calls run and marks their spans unrecorded", async () => {
    const { toolResults, refund, spans } = await runAgent(version, {
      ledger: failingSink,
      mode: "flag",
      onUnrecorded: () => undefined,
    });
    expect(refund).toHaveBeenCalledOnce();
    expect(toolResults.map((p) => p.type)).toEqual(["tool-result", "tool-result"]);
    expect(toolSpan(spans, REFUND.toolCallId).attributes["trailcheck.guard.unrecorded"]).toBe(true);
    expect(toolSpan(spans, LOOKUP.toolCallId).attributes["trailcheck.guard.unrecorded"]).toBe(true);
  });
});

describe("guardTools", () => {
  it("keeps a streaming tool streaming and records its final output when the stream ends", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    const tools = guardTools(
      {
        refund_payment: toolV6({
          inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
          async *execute() {
            yield { status: "pending" };
            yield { status: "succeeded", refundId: "R-5001" };
          },
        }),
      },
      { ledger },
    );
    const model = v6Model();
    const result = await generateV6({
      model,
      prompt: "refund",
      stopWhen: stepsV6(5),
      tools: {
        lookup_order: toolV6({ inputSchema: z.object({ orderId: z.string() }), execute: async () => ORDER }),
        ...tools,
      },
    });
    await ledger.close();
    const refundResult = result.steps
      .flatMap((s) => s.content)
      .find((p) => p.type === "tool-result" && p.toolName === "refund_payment");
    expect(refundResult).toMatchObject({ output: { status: "succeeded", refundId: "R-5001" } });
    const end = (await readLedger(dir)).records.find((r) => r.type === "tool-call.end");
    expect(end).toMatchObject({
      outcome: "ok",
      resultSha256: resultSha256({ status: "succeeded", refundId: "R-5001" }),
    });
  });

  it("leaves tools without execute as they are", () => {
    const clientSide = toolV6({ inputSchema: z.object({}) });
    const guarded = guardTools({ ask_user: clientSide }, { ledger: failingSink });
    expect(guarded.ask_user).toBe(clientSide);
  });
});
