import type { Attributes } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import type { PlannedSpan } from "./layout.js";
import { nativePolicy, type Rendered, toRecord } from "./render-common.js";

/** The Agents SDK's `span_<24 hex>` id whose first 16 hex digits the ingest keeps as the span id. */
const agentsSpanId = (spanId: string) => `span_${spanId}${spanId.slice(0, 8)}`;

function completion(span: Extract<PlannedSpan, { role: "llm" }>): string {
  const message =
    span.calls.length > 0
      ? {
          role: "assistant",
          tool_calls: span.calls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.args },
          })),
        }
      : { role: "assistant", content: span.answer };
  return JSON.stringify([{ id: `chatcmpl-${span.spanId.slice(0, 8)}`, choices: [{ message }] }]);
}

/**
 * `span_data` as the ingest flattens it (`span_data.<key>`, objects as JSON text), errors as
 * `{message, data}`. The SDK's guardrail spans carry only a name and `triggered`, so a blocked call is
 * a native policy span (the policy layer's own), which names the call it blocked.
 */
function render(span: PlannedSpan, tools: readonly string[]): Rendered {
  switch (span.role) {
    case "agent":
      return {
        name: span.name,
        attributes: {
          "span_data.type": "agent",
          "span_data.name": span.name,
          "span_data.handoffs": "[]",
          "span_data.tools": JSON.stringify(tools),
          "span_data.output_type": "str",
          ...(span.failed ? { "openai_agents.error.data": JSON.stringify({ agent: span.name }) } : {}),
        },
        ...(span.failed ? { status: { code: "error", message: "agent run failed" } } : {}),
      };
    case "llm":
      return {
        name: "generation",
        attributes: {
          "span_data.type": "generation",
          "span_data.model": span.model,
          "span_data.input": JSON.stringify([{ role: "user", content: span.prompt }]),
          "span_data.output": completion(span),
          "span_data.model_config": "{}",
        },
      };
    case "tool":
      return {
        name: span.call.name,
        attributes: {
          "span_data.type": "function",
          "span_data.name": span.call.name,
          "span_data.input": span.call.args,
          ...(span.result !== undefined ? { "span_data.output": span.result } : {}),
          ...(span.error ? { "openai_agents.error.data": JSON.stringify({ tool: span.call.name }) } : {}),
        },
        ...(span.error ? { status: { code: "error", message: span.error.message } } : {}),
      };
    case "policy":
      if (span.decision === "deny") return nativePolicy(span);
      return {
        name: span.policyName,
        attributes: {
          "span_data.type": "guardrail",
          "span_data.name": span.policyName,
          "span_data.triggered": false,
        },
      };
    case "handoff":
      return {
        name: "handoff",
        attributes: {
          "span_data.type": "handoff",
          "span_data.from_agent": span.from,
          "span_data.to_agent": span.to,
        },
      };
  }
}

export function renderOpenAiAgents(traceId: string, spans: readonly PlannedSpan[]): SpanRecord[] {
  const tools = [...new Set(spans.flatMap((s) => (s.role === "tool" ? [s.call.name] : [])))].sort();
  const resource = { "openai_agents.workflow_name": "Agent workflow" };
  return spans.map((s) => {
    const r = render(s, tools);
    if (s.role === "policy" && s.decision === "deny") {
      return toRecord({ traceId, spanKind: 1, resource: { "service.name": "agent" } }, s, r);
    }
    const ids: Attributes = {
      "openai_agents.span_id": agentsSpanId(s.spanId),
      "openai_agents.trace_id": `trace_${traceId}`,
      ...(s.parentSpanId ? { "openai_agents.parent_id": agentsSpanId(s.parentSpanId) } : {}),
    };
    return toRecord({ traceId, spanKind: 0, resource }, s, { ...r, attributes: { ...r.attributes, ...ids } });
  });
}
