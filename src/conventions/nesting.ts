import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";

/**
 * How deep each action sits under other actions, for timelines that indent a run: spans that are not
 * actions (chains, tasks, app spans) are walked through but don't add a level. Cycles in hostile data
 * end the walk.
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
  return (action) => {
    let depth = 0;
    let parent = action.parentSpanId;
    const seen = new Set<string>();
    while (parent !== undefined && !seen.has(parent)) {
      seen.add(parent);
      if (actionSpans.has(parent)) depth++;
      parent = parents.get(parent);
    }
    return depth;
  };
}
