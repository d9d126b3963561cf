import type { SpanRecord } from "./record.js";

// Apart from the record schemas (and from zod), so that reading records into runs, which `seal` does,
// loads no schema code.
/** A run: the records of one trace, in arrival order. */
export interface Run {
  readonly traceId: string;
  readonly records: readonly SpanRecord[];
}

/** Groups records into runs, keeping the first-seen order of traces and of records within each. */
export function groupRuns(records: Iterable<SpanRecord>): Run[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const r of records) {
    const list = byTrace.get(r.traceId);
    if (list) list.push(r);
    else byTrace.set(r.traceId, [r]);
  }
  return [...byTrace].map(([traceId, records]) => ({ traceId, records }));
}
