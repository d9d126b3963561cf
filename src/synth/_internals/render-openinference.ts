import type { Attributes } from "../../model/attributes.js";
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

function toolCalls(calls: readonly { id: string; name: string; args: string }[]): Attributes {
  const out: Attributes = { "llm.output_messages.0.message.role": "assistant" };
  calls.forEach((c, i) => {
    const at = `llm.output_messages.0.message.tool_calls.${i}.tool_call`;
    out[`${at}.id`] = c.id;
    out[`${at}.function.name`] = c.name;
    out[`${at}.function.arguments`] = c.args;
  });
  return out;
}

/**
 * OpenInference spans with flattened message lists. An allowing decision is a GUARDRAIL span with a
 * JSON verdict; a blocking one also carries the native `policy.*` keys, so it names the call it blocked.
 */
function render(span: PlannedSpan): Rendered {
  switch (span.role) {
    case "agent":
      return {
        name: span.name,
        attributes: {
          "openinference.span.kind": "AGENT",
          "agent.name": span.name,
          "input.value": span.input,
          "output.value": span.output,
        },
        ...(span.failed ? { status: AGENT_FAILED } : {}),
      };
    case "llm": {
      const message =
        span.calls.length > 0 ? { role: "assistant" } : { role: "assistant", content: span.answer };
      return {
        name: "OpenAI Chat Completions",
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": span.model,
          "llm.provider": "openai",
          "input.value": JSON.stringify({ messages: [{ role: "user", content: span.prompt }] }),
          "output.value": JSON.stringify({ choices: [{ message }] }),
          ...(span.calls.length > 0
            ? toolCalls(span.calls)
            : {
                "llm.output_messages.0.message.role": "assistant",
                "llm.output_messages.0.message.content": span.answer,
              }),
        },
      };
    }
    case "tool":
      return {
        name: span.call.name,
        attributes: {
          "openinference.span.kind": "TOOL",
          "tool.name": span.call.name,
          "tool_call.id": span.call.id,
          "input.value": span.call.args,
          ...(span.result !== undefined ? { "output.value": span.result } : {}),
        },
        ...(span.error
          ? { status: toolStatus(span.error), events: [exceptionEvent(span.endMs, span.error)] }
          : {}),
      };
    case "policy": {
      const attributes: Attributes = {
        "openinference.span.kind": "GUARDRAIL",
        "output.value": JSON.stringify({ decision: span.decision }),
      };
      if (span.decision === "deny") {
        const { "trailcheck.kind": _kind, ...policy } = nativePolicy(span).attributes;
        Object.assign(attributes, policy);
      }
      return { name: span.policyName, attributes };
    }
    case "handoff":
      return nativeHandoff(span);
  }
}

export function renderOpenInference(traceId: string, spans: readonly PlannedSpan[]): SpanRecord[] {
  const ctx = { traceId, spanKind: 1, resource: { "service.name": "agent" } };
  return spans.map((s) => toRecord(ctx, s, render(s)));
}
