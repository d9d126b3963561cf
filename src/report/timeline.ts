import { actionDepths } from "../conventions/nesting.js";
import type { FactName } from "../model/action.js";
import { attributeText } from "../model/attributes.js";
import type { Gap } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import { runStart } from "../model/time.js";
import type { RunComparison } from "../reconstruct/compare.js";
import type { FactMark, RunTimeline, TimelineAction } from "./meta.js";

const MAX_VALUE = 160;

function clipValue(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function gapsOf(gaps: readonly Gap[], spanId: string | undefined, kind: string, name: string): Gap[] {
  return gaps.filter((g) =>
    spanId
      ? g.action.spanId === spanId
      : !g.action.spanId && g.action.kind === kind && g.action.name === name,
  );
}

/**
 * One run's actions in run order, each with its recorded facts and what the reconstruction made of
 * them: the facts of an action whose record expired before the audit are `expired`, required facts
 * the agent never emitted are `not-emitted`. Pure; values are clipped, never escaped (the writers
 * escape for their own format).
 */
export function timelineOf(comparison: RunComparison, records: readonly SpanRecord[]): RunTimeline {
  const starts = new Map(records.map((r) => [r.spanId, BigInt(r.start)]));
  const t0 = runStart(records);
  const depthOf = actionDepths(
    comparison.actions.map((o) => o.action),
    records,
  );

  const actions: TimelineAction[] = comparison.actions.map(({ action, facts }) => {
    const own = gapsOf(comparison.gaps, action.spanId, action.kind, action.name);
    const expired = own.some((g) => g.cause === "retention" && g.fact === "record");
    const marks = new Map<FactName, { recorded?: string; stored: FactMark }>();
    for (const [fact, value] of Object.entries(action.facts) as [FactName, never][]) {
      const state = facts[fact];
      const stored: FactMark = expired ? "expired" : (state ?? "unchecked");
      const recorded = clipValue(attributeText(value));
      marks.set(fact, { ...(recorded !== undefined ? { recorded } : {}), stored });
    }
    for (const g of own) {
      if (g.cause === "instrumentation" && !marks.has(g.fact)) marks.set(g.fact, { stored: "not-emitted" });
    }
    const start = action.spanId ? starts.get(action.spanId) : undefined;
    return {
      kind: action.kind,
      name: action.name,
      ...(action.spanId ? { spanId: action.spanId } : {}),
      depth: depthOf(action),
      ...(start !== undefined ? { offsetMs: Number((start - t0) / 1_000n) / 1000 } : {}),
      failed: action.failed,
      hasRecord: action.hasRecord,
      facts: [...marks].map(([fact, m]) => ({ fact, ...m })),
    };
  });
  return { traceId: comparison.traceId, actions };
}
