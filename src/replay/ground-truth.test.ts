import { describe, expect, it } from "vitest";
import { recordsFromOtlpJson } from "../ingest/otlp-json.js";
import type { ModelExchange, ServedResponse } from "./exchange.js";
import { groundTruth, instrumentationGaps } from "./ground-truth.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
let nextSpan = 1;

function span(name: string, attributes: Record<string, string>, status?: { code: number }) {
  const id = (nextSpan++).toString(16).padStart(16, "0");
  const t = String(1_768_000_000_000_000_000n + BigInt(nextSpan) * 1000n);
  return {
    traceId: TRACE,
    spanId: id,
    name,
    startTimeUnixNano: t,
    endTimeUnixNano: t,
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: { stringValue: v } })),
    status: status ?? {},
  };
}
const records = (...spans: unknown[]) =>
  recordsFromOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const chat = () => span("chat gpt-4o", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" });
const tool = (id: string, name: string, args?: string, result?: string) =>
  span(`execute_tool ${name}`, {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": name,
    "gen_ai.tool.call.id": id,
    ...(args !== undefined ? { "gen_ai.tool.call.arguments": args } : {}),
    ...(result !== undefined ? { "gen_ai.tool.call.result": result } : {}),
  });

function exchange(
  index: number,
  response: ServedResponse,
  toolResults: ModelExchange["toolResults"] = [],
): ModelExchange {
  return {
    index,
    api: "chat",
    stream: false,
    model: "gpt-4o",
    turn: response.kind === "overrun" || response.kind === "bad-request" ? undefined : index,
    request: {},
    toolResults,
    response,
  };
}

const refund = { id: "call_2", name: "refund_payment", arguments: { orderId: "A-1", amount: 40 } };
const exchanges: ModelExchange[] = [
  exchange(0, { kind: "tool-calls", toolCalls: [refund] }),
  exchange(1, { kind: "text", text: "done" }, [{ callId: "call_2", output: '{"status":"ok"}' }]),
  exchange(2, { kind: "overrun", status: 500, message: "past the script" }, [
    { callId: "call_2", output: '{"status":"ok"}' },
  ]),
];

describe("ground truth", () => {
  it("counts answered model calls, requested tool calls and each fed-back result once", () => {
    const truth = groundTruth(exchanges);
    expect(truth.modelCalls).toBe(2);
    expect(truth.toolCallsRequested).toEqual([refund]);
    expect(truth.toolResults).toEqual([{ callId: "call_2", output: '{"status":"ok"}', exchange: 1 }]);
  });

  it("finds nothing missing when every call has its record, arguments and result", () => {
    const recs = records(
      chat(),
      tool("call_2", "refund_payment", '{"amount":40,"orderId":"A-1"}', '{"status":"ok"}'),
      chat(),
    );
    expect(instrumentationGaps(groundTruth(exchanges), recs)).toEqual([]);
  });

  it("reports a model call and a tool call that left no record", () => {
    const gaps = instrumentationGaps(groundTruth(exchanges), records(chat()));
    expect(gaps.map((g) => [g.action.kind, g.fact, g.severity])).toEqual([
      ["llm", "record", "high"],
      ["tool", "record", "critical"],
    ]);
    expect(gaps.every((g) => g.cause === "instrumentation" && g.traceId === TRACE)).toBe(true);
  });

  it("accepts a blocking policy decision that names the call instead of a tool record", () => {
    const policy = span("policy refund-limit", {
      "trailcheck.kind": "policy",
      "policy.name": "refund-limit",
      "policy.decision": "deny",
      "policy.tool_call.id": "call_2",
    });
    expect(instrumentationGaps(groundTruth(exchanges), records(chat(), chat(), policy))).toEqual([]);
  });

  it("reports missing and differing arguments and results", () => {
    const missing = instrumentationGaps(
      groundTruth(exchanges),
      records(chat(), chat(), tool("call_2", "refund_payment")),
    );
    expect(missing.map((g) => g.fact)).toEqual(["arguments", "result"]);
    const wrong = instrumentationGaps(
      groundTruth(exchanges),
      records(
        chat(),
        chat(),
        tool("call_2", "refund_payment", '{"amount":400,"orderId":"A-1"}', '{"status":"no"}'),
      ),
    );
    expect(wrong.map((g) => g.fact)).toEqual(["arguments", "result"]);
    expect(wrong[0]!.message).toMatch(/but the model sent/);
    expect(wrong[1]!.message).toMatch(/but the agent fed back/);
  });

  it("does not ask a failed tool for a result", () => {
    const failed = span(
      "execute_tool refund_payment",
      {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "refund_payment",
        "gen_ai.tool.call.id": "call_2",
        "gen_ai.tool.call.arguments": '{"orderId":"A-1","amount":40}',
      },
      { code: 2 },
    );
    expect(instrumentationGaps(groundTruth(exchanges), records(chat(), chat(), failed))).toEqual([]);
  });
});
