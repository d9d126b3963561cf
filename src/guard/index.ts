/**
 * No record, no action: a write-ahead audit ledger and a guard for an agent's tools. Every tool call
 * is in a local sealed ledger before it runs; a call that can't be recorded is refused (`block`) or
 * marked on its span (`flag`).
 */
export { type GuardToolsOptions, guardTools } from "./ai-sdk.js";
export {
  type GuardedCall,
  type GuardMode,
  type GuardOptions,
  GuardRefusal,
  guardCall,
  type UnrecordedEvent,
} from "./guard-call.js";
export type { SyncMode } from "./ledger-writer.js";
export { type Ledger, type LedgerOptions, type LedgerSink, openLedger } from "./open-ledger.js";
export { type GuardFunctionToolOptions, guardAgentTools, guardFunctionTool } from "./openai-agents.js";
export { type LedgerReading, type ReadLedgerOptions, readLedger } from "./read-ledger.js";
export { type PolicyDecisionInput, recordPolicyDecision, recordRunFailure } from "./record-events.js";
export {
  type LedgerRecord,
  LedgerRecordSchema,
  type LedgerRecovered,
  type PolicyRecord,
  type RunFailed,
  type ToolCallEnd,
  type ToolCallStart,
} from "./records.js";
export type { RecordedArguments, Redact } from "./redact.js";
export { GUARD_POLICY, UNRECORDED_ATTRIBUTE } from "./refusal.js";
