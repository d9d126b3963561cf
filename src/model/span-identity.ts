import type { SpanRecord } from "./record.js";

/**
 * The spans of one run, told apart by span id. The same record twice is what an exporter's retry
 * sends: one span. Different records under one span id are a conflict: a store, a parent link or a
 * policy's subject that names the id can't say which record it means.
 */
export interface RunSpans {
  /** The run's records with every retry (a record equal to an earlier one with its span id) left out. */
  readonly records: readonly SpanRecord[];
  /** Span ids that different records share. */
  readonly conflicts: ReadonlySet<string>;
}

/** Equal as exported: every field the same. */
export function sameRecord(a: SpanRecord, b: SpanRecord): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

const NO_CONFLICTS: ReadonlySet<string> = new Set();

/** Runs up to this long are told unique by comparing ids pairwise, without a set each. */
const FEW = 16;

/** Whether no two records share a span id (most runs: then there is nothing to tell apart). */
export function distinctSpanIds(records: readonly SpanRecord[]): boolean {
  const n = records.length;
  if (n > FEW) return new Set(records.map((r) => r.spanId)).size === n;
  for (let i = 1; i < n; i++) {
    const id = records[i]!.spanId;
    for (let j = 0; j < i; j++) if (records[j]!.spanId === id) return false;
  }
  return true;
}

export function runSpans(records: readonly SpanRecord[]): RunSpans {
  if (distinctSpanIds(records)) return { records, conflicts: NO_CONFLICTS };
  const seen = new Map<string, SpanRecord[]>();
  const distinct: SpanRecord[] = [];
  const conflicts = new Set<string>();
  for (const record of records) {
    const earlier = seen.get(record.spanId);
    if (!earlier) {
      seen.set(record.spanId, [record]);
      distinct.push(record);
    } else if (!earlier.some((e) => sameRecord(e, record))) {
      earlier.push(record);
      distinct.push(record);
      conflicts.add(record.spanId);
    }
  }
  return { records: distinct, conflicts };
}
