import { SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { LedgerSink } from "./open-ledger.js";

/** Names the guard in the policy decisions it records. */
export const GUARD_POLICY = "trailcheck.guard";
/** The span attribute of a call that ran without its ledger record (flag mode). */
export const UNRECORDED_ATTRIBUTE = "trailcheck.guard.unrecorded";

/** Marks the active span (inside an instrumented tool call: the tool's span) as run without a record. */
export function markUnrecorded(): void {
  trace.getActiveSpan()?.setAttribute(UNRECORDED_ATTRIBUTE, true);
}

/**
 * Puts a refusal on the trace as a policy decision in trailcheck's native convention — deny, reason
 * `ledger-unavailable` — under the active span and naming the governed call, so the trace accounts
 * for a call the model asked for and that never ran. The arguments go on it as the ledger would have
 * kept them: in the clear, or (redacted) not at all.
 */
export function recordRefusal(
  ledger: LedgerSink,
  call: { readonly toolName: string; readonly arguments?: unknown },
  callId: string,
  governedSpanId: string | undefined,
  error: Error,
  tracer: Tracer = trace.getTracer(GUARD_POLICY),
): void {
  const args = argumentsOnTrace(ledger, call);
  const span = tracer.startSpan(`policy ${GUARD_POLICY}`, {
    attributes: {
      "trailcheck.kind": "policy",
      "policy.name": GUARD_POLICY,
      "policy.decision": "deny",
      "policy.reason": "ledger-unavailable",
      "policy.subject": governedSpanId ?? callId,
      "policy.tool.name": call.toolName,
      "policy.tool_call.id": callId,
      ...(args !== undefined ? { "policy.tool.arguments": args } : {}),
      "trailcheck.guard.error": error.message,
    },
  });
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
}

/** The arguments as the ledger would have kept them in the clear; none when it hashes them or can't. */
function argumentsOnTrace(
  ledger: LedgerSink,
  call: { readonly toolName: string; readonly arguments?: unknown },
): string | undefined {
  try {
    const recorded = ledger.recordArguments
      ? ledger.recordArguments(call.toolName, call.arguments)
      : { arguments: call.arguments };
    return "arguments" in recorded ? jsonText(recorded.arguments) : undefined;
  } catch {
    return undefined; // arguments it could not hash: the refusal is what counts
  }
}

function jsonText(value: unknown): string | undefined {
  try {
    return value === undefined ? undefined : JSON.stringify(value);
  } catch {
    return undefined;
  }
}
