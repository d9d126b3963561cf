import { classifyRecord } from "../../conventions/classify.js";
import type { Attributes } from "../../model/attributes.js";
import type { SpanEvent, SpanRecord, Status } from "../../model/record.js";
import type { PlannedSpan } from "./layout.js";

/** 2026-01-01T00:00:00Z: runs start here; only differences between times matter to the pipeline. */
const EPOCH_MS = 1_767_225_600_000n;

export function nanos(ms: number): string {
  return ((EPOCH_MS + BigInt(ms)) * 1_000_000n).toString();
}

/** What a renderer says about one span in its convention. */
export interface Rendered {
  readonly name: string;
  readonly attributes: Attributes;
  readonly status?: Status;
  readonly events?: SpanEvent[];
}

export interface RecordContext {
  readonly traceId: string;
  readonly spanKind: number;
  readonly resource: Attributes;
  readonly scope?: SpanRecord["scope"];
}

/**
 * The record as the ingest would produce it, classified the way `classifyRecord` reads it; a span
 * that would be read as another layer is a generator bug and throws.
 */
export function toRecord(ctx: RecordContext, span: PlannedSpan, r: Rendered): SpanRecord {
  const { kind, convention } = classifyRecord(r.attributes);
  if (kind !== span.role) throw new Error(`synth: a planned ${span.role} span was rendered as ${kind}`);
  const record: SpanRecord = {
    traceId: ctx.traceId,
    spanId: span.spanId,
    name: r.name,
    kind,
    convention,
    spanKind: ctx.spanKind,
    start: nanos(span.startMs),
    end: nanos(span.endMs),
    status: r.status ?? { code: "unset" },
    attributes: r.attributes,
    events: r.events ?? [],
    resource: ctx.resource,
  };
  if (span.parentSpanId !== undefined) record.parentSpanId = span.parentSpanId;
  if (ctx.scope) record.scope = ctx.scope;
  return record;
}

export const AGENT_FAILED: Status = { code: "error", message: "agent run failed", errorType: "AgentError" };

export function toolStatus(error: { type: string; message: string }): Status {
  return { code: "error", message: error.message, errorType: error.type };
}

/** The OTel `exception` event SDKs record on a failing span. */
export function exceptionEvent(ms: number, error: { type: string; message: string }): SpanEvent {
  return {
    name: "exception",
    time: nanos(ms),
    attributes: { "exception.type": error.type, "exception.message": error.message },
  };
}

/** trailcheck's native policy span: no standard covers policy decisions yet. */
export function nativePolicy(span: Extract<PlannedSpan, { role: "policy" }>): Rendered {
  return {
    name: `policy ${span.policyName}`,
    attributes: {
      "trailcheck.kind": "policy",
      "policy.name": span.policyName,
      "policy.decision": span.decision,
      "policy.reason": span.reason,
      "policy.subject": span.subject,
      "policy.tool_call.id": span.call.id,
      "policy.tool.name": span.call.name,
      "policy.tool.arguments": span.call.args,
    },
    status: { code: "ok" },
  };
}

export function nativeHandoff(span: Extract<PlannedSpan, { role: "handoff" }>): Rendered {
  return {
    name: `handoff ${span.from} → ${span.to}`,
    attributes: { "trailcheck.kind": "handoff", "handoff.from": span.from, "handoff.to": span.to },
  };
}

/** GenAI semconv messages (`gen_ai.input.messages` / `gen_ai.output.messages`). */
export function genAiMessages(role: "user" | "assistant", content: string): string {
  return JSON.stringify([{ role, parts: [{ type: "text", content }] }]);
}

export function genAiToolCalls(calls: readonly { id: string; name: string; args: string }[]): string {
  return JSON.stringify([
    {
      role: "assistant",
      parts: calls.map((c) => ({ type: "tool_call", id: c.id, name: c.name, arguments: JSON.parse(c.args) })),
    },
  ]);
}
