import type { Action, FactName } from "../model/action.js";
import type { Cause, Severity } from "../model/gap.js";
import type { Profile } from "../model/profile.js";

/**
 * How bad a lost fact is. Losing a policy decision or any part of a failed run is critical when the
 * profile says those must always be kept; losing a whole record or a tool's arguments is high.
 */
export function severityOf(
  cause: Cause,
  fact: FactName,
  action: Pick<Action, "kind">,
  runFailed: boolean,
  profile: Profile,
): Severity {
  const wholeRecord = fact === "record" || fact === "traceId";
  if (wholeRecord && action.kind === "policy" && profile.alwaysKeep.policyDecisions) return "critical";
  if (wholeRecord && runFailed && profile.alwaysKeep.failedRuns) return "critical";
  if (action.kind === "policy" && fact === "decision") return "critical";
  if (wholeRecord || cause === "retention" || cause === "integrity" || cause === "correlation") return "high";
  if (fact === "arguments" || fact === "decision" || fact === "subject" || fact === "parent") return "high";
  return "medium";
}
