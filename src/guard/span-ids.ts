import { isSpanContextValid, trace } from "@opentelemetry/api";

/** The ids a ledger record carries to join it to the trace. */
export interface SpanIds {
  readonly traceId?: string;
  readonly spanId?: string;
}

/**
 * The active OpenTelemetry span's trace and span id, or none when no span is active (or only the
 * no-op tracer's invalid one). Inside an instrumented tool call that span is the tool's own span.
 */
export function activeSpanIds(): SpanIds {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
}
