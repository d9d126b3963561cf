/**
 * `trailcheck/guard`: no record, no action. A write-ahead audit ledger and a guard for an agent's tools: every
 * tool call is in a local sealed ledger before it runs; a call that can't be recorded is refused (`block`) or
 * marked on its span (`flag`). Every name is listed on purpose; `public/api.test.ts` pins them.
 */
export { type GuardToolsOptions, guardTools } from "../guard/ai-sdk.js";
export {
  type GuardedCall,
  type GuardMode,
  type GuardOptions,
  GuardRefusal,
  guardCall,
  type UnrecordedEvent,
} from "../guard/guard-call.js";
export type { SyncMode } from "../guard/ledger-writer.js";
export { type Ledger, type LedgerOptions, type LedgerSink, openLedger } from "../guard/open-ledger.js";
export { type GuardFunctionToolOptions, guardAgentTools, guardFunctionTool } from "../guard/openai-agents.js";
export { type LedgerReading, type ReadLedgerOptions, readLedger } from "../guard/read-ledger.js";
export { type PolicyDecisionInput, recordPolicyDecision, recordRunFailure } from "../guard/record-events.js";
export {
  type LedgerRecord,
  LedgerRecordSchema,
  type LedgerRecovered,
  type PolicyRecord,
  type RunFailed,
  type ToolCallEnd,
  type ToolCallStart,
} from "../guard/records.js";
export type { RecordedArguments, Redact } from "../guard/redact.js";
export { GUARD_POLICY, UNRECORDED_ATTRIBUTE } from "../guard/refusal.js";
export { type LedgerToolCall, ledgerToolCalls, readLedgerToolCalls } from "../guard/tool-calls.js";
