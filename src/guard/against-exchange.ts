import { normaliseArguments } from "../conventions/_internals/values.js";
import { argumentsSha256 } from "./digest.js";
import type { LedgerRecord, ToolCallStart } from "./records.js";

/** A tool call as a model asked for it. */
export interface RequestedCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

/** Whether a start record holds these arguments, in the clear or as their hash. */
function sameArguments(record: ToolCallStart, args: unknown): boolean {
  if (record.argumentsSha256 !== undefined) return record.argumentsSha256 === argumentsSha256(args);
  return normaliseArguments(record.arguments) === normaliseArguments(args);
}

/**
 * The requested tool calls the ledger does not account for: no start record, and no policy decision
 * that denied the call before it ran. A call is found by its call id, else (a framework that made up
 * its own ids) by tool name and arguments; each start record accounts for one call at most. Pure.
 */
export function unrecordedCalls(
  records: readonly LedgerRecord[],
  requested: readonly RequestedCall[],
): RequestedCall[] {
  const starts = records.filter((r): r is ToolCallStart => r.type === "tool-call.start");
  const used = new Set<ToolCallStart>();
  const byId = new Map<string, ToolCallStart>();
  for (const s of starts) if (!byId.has(s.callId)) byId.set(s.callId, s);
  const missing: RequestedCall[] = [];
  const unmatched: RequestedCall[] = [];
  const denied = new Set(
    records.flatMap((r) => (r.type === "policy" && r.decision === "deny" && r.callId ? [r.callId] : [])),
  );
  for (const call of requested) {
    if (denied.has(call.id)) continue;
    const found = byId.get(call.id);
    if (found && !used.has(found)) used.add(found);
    else unmatched.push(call);
  }
  for (const call of unmatched) {
    const found = starts.find(
      (s) => !used.has(s) && s.toolName === call.name && sameArguments(s, call.arguments),
    );
    if (found) used.add(found);
    else missing.push(call);
  }
  return missing;
}
