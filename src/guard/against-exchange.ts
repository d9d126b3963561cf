import { normaliseArguments } from "../conventions/_internals/values.js";
import { matchOnce } from "../conventions/match-once.js";
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
  const denied = new Set(
    records.flatMap((r) => (r.type === "policy" && r.decision === "deny" && r.callId ? [r.callId] : [])),
  );
  const open = requested.filter((call) => !denied.has(call.id));
  const startOf = matchOnce(open, starts, [
    { key: { request: (c) => c.id, candidate: (s) => s.callId } },
    {
      key: { request: (c) => c.name, candidate: (s) => s.toolName },
      test: (c, s) => sameArguments(s, c.arguments),
    },
  ]);
  return open.filter((_, i) => startOf[i] === -1);
}
