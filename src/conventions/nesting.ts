import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";

/**
 * How deep each action sits under other actions, for timelines that indent a run: spans that are not
 * actions (chains, tasks, app spans) are walked through but don't add a level. Each span's depth is
 * worked out once and remembered, without recursion, so a run nested twenty thousand deep costs linear
 * time, not a walk to the root per action. A cycle in hostile data is cut where it closes.
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
  const level = (span: string) => (actionSpans.has(span) ? 1 : 0);
  /** Span id → the action spans strictly above it. */
  const above = new Map<string, number>();

  const aboveOf = (span: string): number => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let top: string | undefined = span;
    while (top !== undefined && !above.has(top) && !onPath.has(top)) {
      path.push(top);
      onPath.add(top);
      top = parents.get(top);
    }
    // `top` is a span already known, or where a cycle closes (counted as a root), or nothing.
    const count = top !== undefined && above.has(top) ? above.get(top)! + level(top) : 0;
    for (let i = path.length - 1; i >= 0; i--) {
      const s = path[i]!;
      above.set(s, i === path.length - 1 ? count : above.get(path[i + 1]!)! + level(path[i + 1]!));
    }
    return above.get(span)!;
  };

  return (action) => {
    const parent = action.parentSpanId;
    return parent === undefined ? 0 : aboveOf(parent) + level(parent);
  };
}
