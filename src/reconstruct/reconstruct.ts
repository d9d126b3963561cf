import { classifyRecord } from "../conventions/classify.js";
import { CLASSIFYING_KEYS } from "../model/classifying-keys.js";
import type { CorrelationField } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import type { StoredRecord } from "../pipeline/index.js";

/** What the store lets an auditor rebuild of one run. */
export interface Reconstruction {
  /** One merged record per span that can be joined to the run (its trace id was kept somewhere). */
  readonly records: readonly SpanRecord[];
  /** The stored copies of each span, joinable or not, by span id. */
  readonly copies: ReadonlyMap<string, readonly StoredRecord[]>;
  /** Spans whose copies all lost a linkage field, by span id. */
  readonly lostLinks: ReadonlyMap<string, ReadonlySet<CorrelationField>>;
}

/** Equal as stored values: the same primitive, or the same JSON for arrays and maps. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** The stored copies of each span, by span id. */
export function groupBySpan(stored: readonly StoredRecord[]): Map<string, StoredRecord[]> {
  const copies = new Map<string, StoredRecord[]>();
  for (const copy of stored) {
    const list = copies.get(copy.record.spanId);
    if (list) list.push(copy);
    else copies.set(copy.record.spanId, [copy]);
  }
  return copies;
}

/**
 * Merges the stored copies of each span (a record may be kept in several streams, each with its own
 * processors) into the best record an auditor could assemble: for every attribute, the copy that still
 * holds the original value wins.
 */
export function reconstructRun(
  truth: readonly SpanRecord[],
  stored: readonly StoredRecord[],
): Reconstruction {
  const copies = new Map<string, StoredRecord[]>();
  for (const copy of stored) {
    const list = copies.get(copy.record.spanId);
    if (list) list.push(copy);
    else copies.set(copy.record.spanId, [copy]);
  }
  // Needed only where several copies of a span are merged.
  let truthById: Map<string, SpanRecord> | undefined;
  const records: SpanRecord[] = [];
  const lostLinks = new Map<string, Set<CorrelationField>>();
  for (const [spanId, list] of copies) {
    const lost = new Set<CorrelationField>(list[0]!.missingLinks);
    for (const copy of list.slice(1)) {
      for (const field of lost) if (!copy.missingLinks.includes(field)) lost.delete(field);
    }
    if (lost.size > 0) lostLinks.set(spanId, lost);
    if (lost.has("traceId")) continue;
    const joinable = list.filter((c) => !c.missingLinks.includes("traceId"));
    if (joinable.length === 1) {
      records.push(joinable[0]!.record);
      continue;
    }
    truthById ??= new Map(truth.map((r) => [r.spanId, r]));
    const original = truthById.get(spanId);
    const attributes: SpanRecord["attributes"] = {};
    for (const copy of joinable) {
      for (const [key, value] of Object.entries(copy.record.attributes)) {
        const current = attributes[key];
        if (current === undefined || (original && !sameValue(current, original.attributes[key]))) {
          Object.defineProperty(attributes, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
    }
    records.push({ ...joinable[0]!.record, attributes, stream: joinable.map((c) => c.stream).join(",") });
  }
  return { records, copies, lostLinks };
}

/** The attribute keys a record's layer is recognised by, in every convention. */
export { CLASSIFYING_KEYS };

/**
 * The stored records as an auditor reads them: a record whose classifying attributes the pipeline
 * changed (a redaction allow-list without `gen_ai.operation.name`, a masked `ai.operationId`) is of the
 * layer its stored attributes say, which may be none. A record classified as emitted keeps its layer,
 * so records that name their layer outside their attributes (trailcheck JSONL) keep it.
 */
export function asStored(truth: readonly SpanRecord[], stored: readonly SpanRecord[]): SpanRecord[] {
  const byId = new Map(truth.map((r) => [r.spanId, r]));
  return stored.map((r) => {
    const original = byId.get(r.spanId);
    if (!original) return r;
    const was = classifyRecord(original.attributes);
    const now = classifyRecord(r.attributes);
    if (now.kind === was.kind && now.convention === was.convention) return r;
    return { ...r, kind: now.kind, convention: now.convention };
  });
}
