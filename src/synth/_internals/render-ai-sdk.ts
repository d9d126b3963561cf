import type { SpanRecord } from "../../model/record.js";
import type { PlannedSpan } from "./layout.js";
import {
  AGENT_FAILED,
  exceptionEvent,
  nativeHandoff,
  nativePolicy,
  type Rendered,
  toolStatus,
  toRecord,
} from "./render-common.js";

/**
 * Vercel AI SDK v6 telemetry: `ai.generateText` per agent, a `doGenerate` step per model call and an
 * `ai.toolCall` per executed call; a throwing tool gives status error and an `exception` event.
 */
function render(span: PlannedSpan, agentOf: Map<string, string>): Rendered {
  const functionId = agentOf.get(span.parentSpanId ?? "") ?? "agent";
  switch (span.role) {
    case "agent":
      return {
        name: "ai.generateText",
        attributes: {
          "ai.operationId": "ai.generateText",
          "operation.name": `ai.generateText ${span.name}`,
          "ai.telemetry.functionId": span.name,
          "ai.model.provider": "openai.chat",
          "ai.prompt": JSON.stringify({ prompt: span.input }),
          "ai.response.text": span.output,
        },
        ...(span.failed ? { status: AGENT_FAILED } : {}),
      };
    case "llm":
      return {
        name: "ai.generateText.doGenerate",
        attributes: {
          "ai.operationId": "ai.generateText.doGenerate",
          "operation.name": `ai.generateText.doGenerate ${functionId}`,
          "ai.telemetry.functionId": functionId,
          "ai.model.id": span.model,
          "ai.model.provider": "openai.chat",
          "gen_ai.request.model": span.model,
          "ai.prompt.messages": JSON.stringify([
            { role: "user", content: [{ type: "text", text: span.prompt }] },
          ]),
          ...(span.calls.length > 0
            ? {
                "ai.response.toolCalls": JSON.stringify(
                  span.calls.map((c) => ({ toolCallId: c.id, toolName: c.name, input: c.args })),
                ),
                "ai.response.finishReason": "tool-calls",
              }
            : { "ai.response.text": span.answer, "ai.response.finishReason": "stop" }),
        },
      };
    case "tool":
      return {
        name: "ai.toolCall",
        attributes: {
          "ai.operationId": "ai.toolCall",
          "operation.name": `ai.toolCall ${functionId}`,
          "ai.toolCall.name": span.call.name,
          "ai.toolCall.id": span.call.id,
          "ai.toolCall.args": span.call.args,
          ...(span.result !== undefined ? { "ai.toolCall.result": span.result } : {}),
        },
        ...(span.error
          ? { status: toolStatus(span.error), events: [exceptionEvent(span.endMs, span.error)] }
          : {}),
      };
    case "policy":
      return nativePolicy(span);
    case "handoff":
      return nativeHandoff(span);
  }
}

export function renderAiSdk(traceId: string, spans: readonly PlannedSpan[]): SpanRecord[] {
  const agentOf = new Map<string, string>();
  for (const s of spans) if (s.role === "agent") agentOf.set(s.spanId, s.name);
  const ctx = { traceId, spanKind: 1, resource: { "service.name": "agent" }, scope: { name: "ai" } };
  return spans.map((s) => toRecord(ctx, s, render(s, agentOf)));
}
