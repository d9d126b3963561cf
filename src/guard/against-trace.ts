import { matchOnce } from "../conventions/match-once.js";
import type { LedgerToolCall } from "./tool-calls.js";

/** An executed tool action as the trace store shows it. */
export interface StoredToolCall {
  readonly name: string;
  readonly callId?: string;
  readonly spanId?: string;
}

/**
 * The ledger's calls of one run that the run's stored tool spans don't account for. A call is in the
 * trace when a stored tool span carries its call id, or is the span that was active when the ledger
 * recorded it (its span id) under the same tool name. Each stored span accounts for one call. Pure.
 */
export function callsNotInTrace(
  calls: readonly LedgerToolCall[],
  stored: readonly StoredToolCall[],
): LedgerToolCall[] {
  const storedOf = matchOnce(calls, stored, [
    { key: { request: (c) => c.callId, candidate: (s) => s.callId } },
    { key: { request: (c) => c.spanId, candidate: (s) => s.spanId }, test: (c, s) => s.name === c.toolName },
  ]);
  return calls.filter((_, i) => storedOf[i] === -1);
}

/** The ledger's calls grouped by the run (trace id) they were recorded in; calls recorded outside any span are left out. */
export function callsByRun(calls: readonly LedgerToolCall[]): Map<string, LedgerToolCall[]> {
  const runs = new Map<string, LedgerToolCall[]>();
  for (const call of calls) {
    if (!call.traceId) continue;
    const list = runs.get(call.traceId);
    if (list) list.push(call);
    else runs.set(call.traceId, [call]);
  }
  return runs;
}
