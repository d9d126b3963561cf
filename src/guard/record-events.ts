import type { LedgerSink } from "./open-ledger.js";
import type { PolicyRecord, RunFailed } from "./records.js";
import { activeSpanIds, type SpanIds } from "./span-ids.js";

export interface PolicyDecisionInput {
  /** The policy's name, e.g. `refund-limit`. */
  readonly name: string;
  readonly decision: PolicyRecord["decision"];
  readonly reason?: string;
  /** The governed tool call, where the decision is about one. */
  readonly toolName?: string;
  readonly callId?: string;
}

/**
 * Appends a policy decision to the ledger with the active span's ids, whatever the trace sampler
 * decides about that span. Resolves once the record is durable; rejects when it can't be written.
 */
export function recordPolicyDecision(
  ledger: LedgerSink,
  decision: PolicyDecisionInput,
  clock: () => Date = () => new Date(),
): Promise<void> {
  const record: PolicyRecord = {
    type: "policy",
    ...activeSpanIds(),
    name: decision.name,
    decision: decision.decision,
    ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    ...(decision.toolName !== undefined ? { toolName: decision.toolName } : {}),
    ...(decision.callId !== undefined ? { callId: decision.callId } : {}),
    at: clock().toISOString(),
  };
  return ledger.append(record);
}

/**
 * Appends a run failure (the error that ended the run) with the active span's ids — or `ids` when
 * the run's spans have already ended by the time the error reaches the caller.
 */
export function recordRunFailure(
  ledger: LedgerSink,
  error: unknown,
  options: { readonly ids?: SpanIds; readonly clock?: () => Date } = {},
): Promise<void> {
  const clock = options.clock ?? (() => new Date());
  const record: RunFailed = {
    type: "run.failed",
    ...(options.ids ?? activeSpanIds()),
    error: error instanceof Error ? error.message : String(error),
    at: clock().toISOString(),
  };
  return ledger.append(record);
}
