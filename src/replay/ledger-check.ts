import { unrecordedCalls } from "../guard/against-exchange.js";
import type { LedgerReading } from "../guard/read-ledger.js";
import type { Gap } from "../model/gap.js";
import type { GroundTruth } from "./ground-truth.js";

/** What the replay knows of the agent's guard ledger (`TRAILCHECK_LEDGER_DIR`). */
export interface LedgerCheck {
  /** The ledger the agent wrote during the replay; absent when it wrote none. */
  readonly reading?: LedgerReading;
  /** The agent must keep a ledger (`replay --ledger`): no ledger at all is a gap too. */
  readonly required: boolean;
}

const HINT =
  "Guard the agent's tools with trailcheck/guard (guardTools, guardFunctionTool or guardCall) and open the " +
  "ledger at TRAILCHECK_LEDGER_DIR, so every call is recorded before it runs.";

/**
 * The ledger's gaps: every tool call the model asked for must have its start record in the ledger,
 * and the ledger must verify. Nothing is checked when the agent keeps no ledger and none is required.
 * Pure.
 */
export function ledgerGaps(check: LedgerCheck, truth: GroundTruth, traceId: string): Gap[] {
  const { reading } = check;
  if (!reading && !check.required) return [];
  const gaps: Gap[] = [];
  if (reading && !reading.valid) {
    const first = reading.findings[0]!;
    gaps.push({
      cause: "integrity",
      stage: "ledger",
      severity: "high",
      fact: "integrity",
      message: `the agent's ledger fails verification: ${reading.findings.length} finding(s), first ${first.kind}: ${first.message}`,
      hint: "Close the ledger before the agent exits (ledger.close()); a ledger cut or edited afterwards can't be trusted.",
      action: { kind: "other", name: "ledger" },
      traceId,
    });
  }
  const where = reading
    ? "the ledger has no record of it"
    : "the agent wrote no ledger at TRAILCHECK_LEDGER_DIR";
  for (const call of unrecordedCalls(reading?.records ?? [], truth.toolCallsRequested)) {
    gaps.push({
      cause: "instrumentation",
      stage: "ledger",
      severity: "critical",
      fact: "record",
      message: `the model asked for ${call.name} (${call.id}) and ${where}`,
      hint: HINT,
      action: { kind: "tool", name: call.name },
      traceId,
    });
  }
  return gaps;
}
