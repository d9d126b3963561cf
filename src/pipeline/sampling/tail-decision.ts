import type { SpanRecord } from "../../model/record.js";
import type { PolicyContext, PolicyDecision, TailPolicy } from "./tail-policies.js";

export interface TailDecision {
  readonly sampled: boolean;
  /** The policy that decided, for messages. */
  readonly reason: string;
}

/**
 * `makeDecision` (processor.go): drop policies first; a Dropped decision stops the evaluation; then
 * Dropped > InvertNotSampled > Sampled > InvertSampled (when nothing said NotSampled) > not sampled.
 */
export function decideTrace(
  policies: readonly TailPolicy[],
  traceId: string,
  spans: readonly SpanRecord[],
  sampleOnFirstMatch: boolean,
  at: PolicyContext,
): TailDecision {
  const first = new Map<PolicyDecision, string>();
  for (const p of policies) {
    const d = p.evaluate(traceId, spans, at);
    if (d === undefined) continue;
    if (!first.has(d)) first.set(d, p.name);
    if (d === "dropped") break;
    if (sampleOnFirstMatch && d === "sampled") break;
  }
  if (first.has("dropped"))
    return { sampled: false, reason: `drop policy "${first.get("dropped")}" matched` };
  if (first.has("invert_not_sampled")) {
    return {
      sampled: false,
      reason: `inverted policy "${first.get("invert_not_sampled")}" matched (invert_match)`,
    };
  }
  if (first.has("sampled")) return { sampled: true, reason: `policy "${first.get("sampled")}" sampled it` };
  if (first.has("invert_sampled") && !first.has("not_sampled")) {
    return { sampled: true, reason: `inverted policy "${first.get("invert_sampled")}" sampled it` };
  }
  return { sampled: false, reason: "no policy sampled it" };
}

/** Policies in the collector's evaluation order: drop policies first. */
export function orderPolicies(policies: readonly TailPolicy[]): TailPolicy[] {
  return [...policies.filter((p) => p.isDrop), ...policies.filter((p) => !p.isDrop)];
}
