import type { KeyObject } from "node:crypto";
import { callsByRun, callsNotInTrace } from "../guard/against-trace.js";
import { type LedgerReading, requireKeyForSigned } from "../guard/read-ledger.js";
import { assertLedgerDir } from "../guard/read-store.js";
import { type LedgerToolCall, readLedgerToolCalls } from "../guard/tool-calls.js";
import { nanosToDate } from "../model/time.js";
import type { Judgement } from "./judge.js";
import type { RunFacts } from "./run-facts.js";
import type { Reason } from "./schema.js";
import type { EvidenceSource } from "./store.js";

/** A run the ledger knows and the store doesn't: judged from the ledger alone. */
export interface LedgerOnlyRun {
  readonly facts: RunFacts;
  readonly judgement: Judgement;
}

/**
 * The guard's write-ahead ledger as evidence: independent ground truth of the tool calls that ran.
 * Each run's ledger calls must be among its stored tool spans (`action-not-in-trace`); a run the
 * ledger holds calls of and the store holds no span of is `not-in-store`.
 */
export interface LedgerEvidence extends EvidenceSource {
  /** Why the ledger fails verification, or undefined when it verifies. */
  readonly damage: string | undefined;
  /** The runs the ledger names that the audit never read, judged at `now` with the audit's grace. */
  runsNotIn(seen: ReadonlySet<string>, now: bigint, graceNs: bigint): LedgerOnlyRun[];
}

const nanos = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

function describeCall(call: LedgerToolCall): string {
  return `tool '${call.toolName}' (call ${call.callId}${call.spanId ? `, span ${call.spanId}` : ""}) at ${call.at}`;
}

/** Reasons from ledger calls already grouped by run; pure. */
export function ledgerEvidenceOf(
  dir: string,
  reading: LedgerReading,
  calls: readonly LedgerToolCall[],
): LedgerEvidence {
  const runs = callsByRun(calls);
  const damaged: Reason | undefined = reading.valid
    ? undefined
    : {
        code: "integrity",
        cause: "integrity",
        message: `the ledger ${dir} fails verification (${reading.findings
          .slice(0, 3)
          .map((f) => `${f.kind}: ${f.message}`)
          .join("; ")}${reading.findings.length > 3 ? `; and ${reading.findings.length - 3} more` : ""})`,
      };
  return {
    name: `ledger ${dir}`,
    damage: damaged?.message,
    traceIds: () => runs.keys(),
    reasonsFor(run: RunFacts): Reason[] {
      const mine = runs.get(run.traceId);
      if (!mine) return [];
      const reasons: Reason[] = callsNotInTrace(mine, run.tools).map((call) => ({
        code: "action-not-in-trace",
        cause: "unknown",
        fact: `tool:${call.toolName}.record`,
        ...(call.spanId ? { spanId: call.spanId } : {}),
        message: `the ledger recorded ${describeCall(call)} before it ran, and no stored tool span accounts for it`,
      }));
      return damaged ? [...reasons, damaged] : reasons;
    },
    runsNotIn(seen, now, graceNs) {
      const out: LedgerOnlyRun[] = [];
      for (const [traceId, mine] of runs) {
        if (seen.has(traceId)) continue;
        const earliest = nanos(mine[0]!.at);
        let latest = earliest;
        for (const call of mine) {
          const t = nanos(call.end?.at ?? call.at);
          if (t > latest) latest = t;
        }
        const facts: RunFacts = {
          traceId,
          service: "",
          agent: "",
          start: earliest,
          earliest,
          latest,
          spans: 0,
          missingParents: [],
          unaccounted: [],
          tools: [],
          unrecordedModelCalls: [],
          facts: [],
          stores: [],
        };
        // A run still exporting has no spans stored yet: pending, as a rootless run is.
        if (latest > now - graceNs) {
          out.push({ facts, judgement: { verdict: "pending", reasons: [] } });
          continue;
        }
        const reason: Reason = {
          code: "not-in-store",
          cause: "unknown",
          message: `the ledger recorded ${mine.length} tool call(s) of this run (first: ${describeCall(mine[0]!)}) and the store holds no span of it`,
        };
        out.push({
          facts,
          judgement: { verdict: "incomplete", reasons: damaged ? [reason, damaged] : [reason] },
        });
      }
      return out;
    },
  };
}

/** Reads and verifies a ledger directory (with its public key when it is signed) as audit evidence. */
export async function readLedgerEvidence(
  dir: string,
  options: { readonly publicKey?: KeyObject; readonly now: bigint },
): Promise<LedgerEvidence> {
  await assertLedgerDir(dir);
  const { reading, calls } = await readLedgerToolCalls(dir, {
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
    now: nanosToDate(options.now.toString()),
  });
  requireKeyForSigned(reading, dir, "give its public key with --ledger-key PUBLIC.pem");
  return ledgerEvidenceOf(dir, reading, calls);
}
