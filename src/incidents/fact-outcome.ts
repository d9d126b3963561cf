import type { Action, FactName } from "../model/action.js";
import type { Gap, RunVerdict } from "../model/gap.js";
import type { ActionOutcome, RunComparison } from "../reconstruct/compare.js";
import { parseFactRef } from "./fact-ref.js";

/** What a fact check needs: the engine's verdicts and per-action outcomes (a `CheckResult`). */
export interface CheckedRuns {
  readonly verdicts: readonly RunVerdict[];
  readonly comparisons: readonly RunComparison[];
}

/** Whether one named fact survived, and if not, the gaps that explain it. */
export interface FactOutcome {
  readonly ref: string;
  readonly kept: boolean;
  /** Why it is not kept, when no gap says so (no such action, fact never evaluated). */
  readonly detail?: string;
  readonly gaps: readonly Gap[];
}

const LINK_FACTS: ReadonlySet<FactName> = new Set(["record", "traceId", "parent"]);

function gapIsFor(gap: Gap, action: Action): boolean {
  return action.spanId
    ? gap.action.spanId === action.spanId
    : gap.action.kind === action.kind && gap.action.name === action.name && gap.action.spanId === undefined;
}

function outcomeOf(
  outcome: ActionOutcome,
  fact: FactName,
  gaps: readonly Gap[],
): { kept: boolean; detail?: string; gaps: Gap[] } {
  const { action } = outcome;
  const own = gaps.filter((g) => gapIsFor(g, action));
  const forFact = own.filter((g) => g.fact === fact);
  const state = outcome.facts[fact];
  if (state === "present" || (state === "masked" && forFact.length === 0)) return { kept: true, gaps: [] };
  if (state === "missing" || forFact.length > 0) {
    const why = forFact.length > 0 ? forFact : own.filter((g) => LINK_FACTS.has(g.fact));
    return { kept: false, gaps: why };
  }
  if (!action.hasRecord) {
    return { kept: false, gaps: own, detail: `${action.kind} '${action.name}' left no record` };
  }
  if (action.facts[fact] === undefined) {
    return {
      kept: false,
      gaps: [],
      detail: `the recording has no ${fact} for ${action.kind} '${action.name}'`,
    };
  }
  return {
    kept: false,
    gaps: [],
    detail: `${fact} was not checked: the profile does not require it or the ${action.convention} convention cannot carry it (check with requireFacts(profile, facts))`,
  };
}

/**
 * Decides each named fact (`kind:name.fact`) on a checked run: kept only if every action of that kind
 * and name keeps it, present or acceptably masked.
 */
export function evaluateFacts(result: CheckedRuns, refs: readonly string[]): FactOutcome[] {
  const gaps = result.verdicts.flatMap((v) => v.gaps);
  return refs.map((text) => {
    const ref = parseFactRef(text);
    if ("error" in ref) return { ref: text, kept: false, detail: ref.error, gaps: [] };
    const matching = result.comparisons.flatMap((c) =>
      c.actions.filter((o) => o.action.kind === ref.kind && o.action.name === ref.name),
    );
    if (matching.length === 0) {
      return {
        ref: text,
        kept: false,
        detail: `the run has no ${ref.kind} action named '${ref.name}'`,
        gaps: [],
      };
    }
    const each = matching.map((o) => outcomeOf(o, ref.fact, gaps));
    const failed = each.filter((e) => !e.kept);
    if (failed.length === 0) return { ref: text, kept: true, gaps: [] };
    const detail = failed.find((e) => e.detail)?.detail;
    return { ref: text, kept: false, gaps: failed.flatMap((e) => e.gaps), ...(detail ? { detail } : {}) };
  });
}
