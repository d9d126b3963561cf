import type { Action } from "../model/action.js";
import { ancestry } from "../model/ancestry.js";
import type { SpanRecord } from "../model/record.js";

/**
 * How deep each action sits under other actions, for timelines that indent a run: spans that are not
 * actions (chains, tasks, app spans) are walked through but don't add a level. The walk is
 * `ancestry`'s: linear in the run however deep it nests, and a cycle in hostile data ends where it
 * closes.
 */
export function actionDepths(
  actions: readonly Action[],
  records: readonly SpanRecord[],
): (action: Action) => number {
  const parents = new Map(records.map((r) => [r.spanId, r.parentSpanId]));
  for (const action of actions) {
    if (action.spanId && !parents.has(action.spanId)) parents.set(action.spanId, action.parentSpanId);
  }
  const actionSpans = new Set(actions.flatMap((a) => (a.spanId ? [a.spanId] : [])));
  const { above, reach } = ancestry(parents, (span) => (actionSpans.has(span) ? 1 : 0));
  return (action) => {
    if (action.spanId) return above(action.spanId);
    return action.parentSpanId === undefined ? 0 : reach(action.parentSpanId);
  };
}
