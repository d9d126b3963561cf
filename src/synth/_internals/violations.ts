import type { Action } from "../../model/action.js";
import type { Gap } from "../../model/gap.js";
import type { Profile } from "../../model/profile.js";

/** The properties every run must keep under the user's logging config. */
export const PROPERTY_NAMES = [
  "required-facts",
  "always-kept",
  "tool-calls-accounted",
  "no-orphans",
  "correlation",
  "retention",
  "integrity",
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

export const PROPERTY_TITLES: Record<PropertyName, string> = {
  "required-facts": "required facts present",
  "always-kept": "failed runs and policy decisions always kept",
  "tool-calls-accounted": "model-requested tool calls accounted for",
  "no-orphans": "no orphans",
  correlation: "no correlation loss between streams",
  retention: "retention meets the profile",
  integrity: "integrity where required",
};

/** What the truth says about a run, for deciding which properties a gap breaks. */
export interface RunFacts {
  readonly failed: boolean;
  /** Span ids of the records that account for a model's tool request: the tool that ran, or the decision that blocked it. */
  readonly accounting: ReadonlySet<string>;
}

export function runFacts(truth: readonly Action[]): RunFacts {
  const accounting = new Set<string>();
  for (const a of truth) {
    if (!a.spanId) continue;
    if ((a.kind === "tool" && a.requestedBy) || (a.kind === "policy" && a.blocks)) accounting.add(a.spanId);
  }
  return { failed: truth.some((a) => a.failed), accounting };
}

const WHOLE = new Set(["record", "traceId"]);

/**
 * The properties one gap breaks. A gap of a specific kind (integrity, retention, correlation, a lost
 * parent, a lost record that accounts for a tool request or that the profile says must always be kept)
 * breaks those; any other lost required fact breaks `required-facts`.
 */
export function brokenBy(gap: Gap, run: RunFacts, profile: Profile): PropertyName[] {
  const out: PropertyName[] = [];
  if (gap.cause === "integrity") out.push("integrity");
  if (gap.cause === "retention") out.push("retention");
  if (gap.cause === "correlation") out.push("correlation");
  if (gap.fact === "parent") out.push("no-orphans");
  if (WHOLE.has(gap.fact)) {
    const policy = gap.action.kind === "policy" && profile.alwaysKeep.policyDecisions;
    if (policy || (run.failed && profile.alwaysKeep.failedRuns)) out.push("always-kept");
    if (gap.action.spanId && run.accounting.has(gap.action.spanId)) out.push("tool-calls-accounted");
  }
  if (out.length === 0) out.push("required-facts");
  return out;
}
