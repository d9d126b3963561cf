import { requireFacts } from "../incidents/check.js";
import { evaluateFacts, type FactOutcome } from "../incidents/fact-outcome.js";
import { parseFactRef } from "../incidents/fact-ref.js";
import type { Gap, RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import { checkRecords } from "../reconstruct/check.js";
import type { RunComparison } from "../reconstruct/compare.js";
import { agentTraceId, type GroundTruth, instrumentationGaps } from "./ground-truth.js";
import { type LedgerCheck, ledgerGaps } from "./ledger-check.js";

const key = (g: Gap) => `${g.traceId}|${g.action.kind}|${g.action.spanId ?? g.action.name}|${g.fact}`;

export interface JudgeOptions {
  /**
   * Facts the replay must keep (`kind:name.fact`, an incident's `expect.facts`): required on top of
   * the profile, and each one missing without a gap that explains it becomes a gap of its own.
   */
  readonly facts?: readonly string[];
  /** The agent's guard ledger: every tool call the model asked for must be in it. */
  readonly ledger?: LedgerCheck;
}

export interface ReplayJudgement {
  readonly verdicts: RunVerdict[];
  readonly comparisons: RunComparison[];
  readonly unknown: ReturnType<typeof checkRecords>["view"]["unknown"];
  /** The fate of each fact in `options.facts`, in order. */
  readonly facts: FactOutcome[];
}

/** A named fact the replay lost with no gap saying why: the agent never emitted it. */
function factGap(outcome: FactOutcome, traceId: string): Gap | undefined {
  const ref = parseFactRef(outcome.ref);
  if ("error" in ref) return undefined;
  return {
    cause: "instrumentation",
    stage: "instrumentation",
    severity: "high",
    fact: ref.fact,
    message: `the incident's fact ${outcome.ref} is not in the replay: ${outcome.detail ?? "no record carries it"}`,
    hint: `Emit ${ref.fact} on the ${ref.kind} record named '${ref.name}', as the recorded run did.`,
    action: { kind: ref.kind, name: ref.name },
    traceId,
  };
}

/**
 * Judges a replay that ran: the instrumentation gaps (exchange vs. emitted records) first, then the
 * pipeline's gaps (emitted records through the logging config, as `check` does), then the named facts
 * no gap accounts for. A fact the agent never emitted is reported once, as the replay found it. Pure.
 */
export function judgeReplay(
  truth: GroundTruth,
  records: readonly SpanRecord[],
  config: LoggingConfig,
  profile: Profile,
  auditAfterNs: bigint,
  options: JudgeOptions = {},
): ReplayJudgement {
  const facts = options.facts ?? [];
  const required = facts.length > 0 ? requireFacts(profile, facts) : profile;
  const { verdicts, comparisons, view } = checkRecords(records, config, required, { auditAfterNs });
  const found = [
    ...instrumentationGaps(truth, records),
    ...(options.ledger ? ledgerGaps(options.ledger, truth, agentTraceId(records)) : []),
  ];
  const seen = new Set(found.map(key));
  const byTrace = new Map<string, Gap[]>();
  for (const g of found) {
    const list = byTrace.get(g.traceId);
    if (list) list.push(g);
    else byTrace.set(g.traceId, [g]);
  }
  const out: RunVerdict[] = verdicts.map((v) => {
    const gaps = [...(byTrace.get(v.traceId) ?? []), ...v.gaps.filter((g) => !seen.has(key(g)))];
    byTrace.delete(v.traceId);
    return { traceId: v.traceId, reconstructable: gaps.length === 0, gaps };
  });
  // Gaps of a run that left no record at all.
  for (const [traceId, gaps] of byTrace) out.push({ traceId, reconstructable: false, gaps });

  const outcomes = evaluateFacts({ verdicts: out, comparisons }, facts);
  // Facts lost with no gap saying why belong to the agent's run: the one with the most actions.
  const main = [...comparisons].sort((a, b) => b.actions.length - a.actions.length)[0]?.traceId;
  const target = out.find((v) => v.traceId === main) ?? out[0];
  const traceId = target?.traceId ?? "";
  const gapFor = new Map<FactOutcome, Gap>();
  for (const o of outcomes) {
    const gap = !o.kept && o.gaps.length === 0 ? factGap(o, traceId) : undefined;
    if (gap) gapFor.set(o, gap);
  }
  if (gapFor.size === 0) return { verdicts: out, comparisons, unknown: view.unknown, facts: outcomes };
  const added = [...gapFor.values()];
  const judged = target
    ? out.map((v) => (v === target ? { traceId, reconstructable: false, gaps: [...v.gaps, ...added] } : v))
    : [...out, { traceId, reconstructable: false, gaps: added }];
  const explained = outcomes.map((o) => {
    const gap = gapFor.get(o);
    return gap ? { ...o, gaps: [gap] } : o;
  });
  return { verdicts: judged, comparisons, unknown: view.unknown, facts: explained };
}
