import { type LedgerReading, type ReadLedgerOptions, readLedger } from "./read-ledger.js";
import type { LedgerRecord, ToolCallEnd } from "./records.js";

/** One tool call as the ledger holds it: its start record, joined with its end record when there is one. */
export interface LedgerToolCall {
  readonly toolName: string;
  readonly callId: string;
  /** The trace and span active when the call started (for an instrumented framework, its tool span). */
  readonly traceId?: string;
  readonly spanId?: string;
  /** When the start record was written, ISO 8601. */
  readonly at: string;
  readonly arguments?: unknown;
  readonly argumentsSha256?: string;
  /** The end record's outcome; absent when the call never ended (a crash, or still running). */
  readonly end?: Pick<ToolCallEnd, "outcome" | "resultSha256" | "error" | "at">;
}

/** Pairs each start record with the end record of the same call (same call id and trace). Pure. */
export function ledgerToolCalls(records: readonly LedgerRecord[]): LedgerToolCall[] {
  const calls: LedgerToolCall[] = [];
  const open = new Map<string, number>();
  const key = (callId: string, traceId: string | undefined) => `${traceId ?? ""}\u0000${callId}`;
  for (const r of records) {
    if (r.type === "tool-call.start") {
      open.set(key(r.callId, r.traceId), calls.length);
      calls.push({
        toolName: r.toolName,
        callId: r.callId,
        ...(r.traceId ? { traceId: r.traceId } : {}),
        ...(r.spanId ? { spanId: r.spanId } : {}),
        at: r.at,
        ...(r.arguments !== undefined ? { arguments: r.arguments } : {}),
        ...(r.argumentsSha256 ? { argumentsSha256: r.argumentsSha256 } : {}),
      });
    } else if (r.type === "tool-call.end") {
      const at = open.get(key(r.callId, r.traceId));
      if (at === undefined) continue;
      open.delete(key(r.callId, r.traceId));
      const { outcome, resultSha256, error } = r;
      calls[at] = {
        ...calls[at]!,
        end: {
          outcome,
          at: r.at,
          ...(resultSha256 ? { resultSha256 } : {}),
          ...(error !== undefined ? { error } : {}),
        },
      };
    }
  }
  return calls;
}

/** A ledger directory read, verified and turned into tool calls: what the production audit joins with the trace store. */
export async function readLedgerToolCalls(
  dir: string,
  options: ReadLedgerOptions = {},
): Promise<{ readonly reading: LedgerReading; readonly calls: readonly LedgerToolCall[] }> {
  const reading = await readLedger(dir, options);
  return { reading, calls: ledgerToolCalls(reading.records) };
}
