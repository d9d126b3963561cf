import type { Attributes } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import type { PlannedSpan } from "./layout.js";
import {
  AGENT_FAILED,
  genAiMessages,
  genAiToolCalls,
  nativeHandoff,
  nativePolicy,
  type Rendered,
  toolStatus,
  toRecord,
} from "./render-common.js";

/**
 * GenAI semconv spans, or trailcheck native ones (`trailcheck.kind` with the GenAI attribute names).
 * Policy decisions and handoffs are native in both: the semconv has no place for them.
 */
function render(span: PlannedSpan, native: boolean): Rendered {
  const op = (operation: string, kind: string): Attributes =>
    native ? { "trailcheck.kind": kind } : { "gen_ai.operation.name": operation };
  switch (span.role) {
    case "agent":
      return {
        name: native ? `agent ${span.name}` : `invoke_agent ${span.name}`,
        attributes: {
          ...op("invoke_agent", "agent"),
          "gen_ai.agent.name": span.name,
          "gen_ai.input.messages": genAiMessages("user", span.input),
          "gen_ai.output.messages": genAiMessages("assistant", span.output),
        },
        ...(span.failed ? { status: AGENT_FAILED } : {}),
      };
    case "llm":
      return {
        name: `chat ${span.model}`,
        attributes: {
          ...op("chat", "llm"),
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": span.model,
          "gen_ai.input.messages": genAiMessages("user", span.prompt),
          "gen_ai.output.messages":
            span.calls.length > 0 ? genAiToolCalls(span.calls) : genAiMessages("assistant", span.answer),
        },
      };
    case "tool":
      return {
        name: `execute_tool ${span.call.name}`,
        attributes: {
          ...op("execute_tool", "tool"),
          "gen_ai.tool.name": span.call.name,
          "gen_ai.tool.call.id": span.call.id,
          "gen_ai.tool.call.arguments": span.call.args,
          ...(span.result !== undefined ? { "gen_ai.tool.call.result": span.result } : {}),
          ...(span.error ? { "error.type": span.error.type } : {}),
        },
        ...(span.error ? { status: toolStatus(span.error) } : {}),
      };
    case "policy":
      return nativePolicy(span);
    case "handoff":
      return nativeHandoff(span);
  }
}

export function renderGenAi(traceId: string, spans: readonly PlannedSpan[], native: boolean): SpanRecord[] {
  const ctx = { traceId, spanKind: 1, resource: { "service.name": "agent" } };
  return spans.map((s) => toRecord(ctx, s, render(s, native)));
}
