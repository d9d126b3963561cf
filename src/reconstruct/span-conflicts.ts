import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { runSpans } from "../model/span-identity.js";
import { describe, type GapCollector } from "./gap-collector.js";

const HINT =
  "give every span an id of its own: a retrying exporter must resend a span unchanged, and spans of other processes or merged exports must not reuse ids";

/**
 * Different records that share a span id (an exporter's retry sends the same record, which is one
 * span): a store can't tell them apart, so neither what each of them holds nor a link to them can be
 * trusted. Each action of such a record gets a correlation gap on its record, each action whose parent
 * is such an id one on its parent. Returns the ids of the actions whose own record is in doubt: a store
 * merges them, so their stored facts are not compared.
 */
export function spanConflictGaps(
  truthRecords: readonly SpanRecord[],
  truthActions: readonly Action[],
  out: GapCollector,
): ReadonlySet<string> {
  const { records, conflicts } = runSpans(truthRecords);
  const involved = new Set<string>();
  if (conflicts.size === 0) return involved;
  const sharing = new Map<string, number>();
  for (const r of records)
    if (conflicts.has(r.spanId)) sharing.set(r.spanId, (sharing.get(r.spanId) ?? 0) + 1);
  for (const action of truthActions) {
    if (action.hasRecord && action.spanId !== undefined && conflicts.has(action.spanId)) {
      involved.add(action.id);
      out.add(
        action,
        "record",
        "correlation",
        "instrumentation",
        `${describe(action)} shares its span id with ${sharing.get(action.spanId)! - 1} different record(s); no store can tell them apart`,
        { hint: HINT },
      );
    } else if (action.parentSpanId !== undefined && conflicts.has(action.parentSpanId)) {
      out.add(
        action,
        "parent",
        "correlation",
        "instrumentation",
        `the parent of ${describe(action)}, span ${action.parentSpanId}, is ${sharing.get(action.parentSpanId)} different records; which of them is the parent can't be told`,
        { hint: HINT },
      );
    }
  }
  return involved;
}
