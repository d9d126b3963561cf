import type { Attributes } from "../model/attributes.js";
import { durationNanos, formatDuration, formatElapsed } from "../model/duration.js";
import type { CorrelationField, Stream } from "../model/logging-config.js";
import type { SpanEvent, SpanRecord } from "../model/record.js";
import { compareNanos } from "./order.js";
import { eventKey, type ProcessorContext, RECORD, recordLoss, resourceKey } from "./processor.js";
import { truncateAttributes } from "./truncate.js";
import type { StoredRecord, StreamSummary } from "./types.js";

const LINK_FIELDS: readonly CorrelationField[] = ["traceId", "spanId", "parentSpanId"];

/** What a stream's store keeps, as compiled once. */
export interface Store {
  readonly retentionNs: bigint | undefined;
  readonly availableNs: bigint | undefined;
  /** The record as stored when its run is audited at `auditTime`, or undefined when it has expired. */
  keep(record: SpanRecord, auditTime: bigint): StoredRecord | undefined;
}

/** Cuts every attribute value of a record past the backend's cap (span, event and resource attributes). */
function capValues(r: SpanRecord, limit: number, ctx: ProcessorContext): SpanRecord {
  const cut = (key: string) => (k: string, length: number) =>
    recordLoss(
      ctx,
      r,
      "truncation",
      { type: "attribute", key: key === "" ? k : `${key}${k}`, effect: "truncated" },
      `the store's max_value_length ${limit} cut a value of ${length} characters`,
    );
  const attributes = truncateAttributes(r.attributes, limit, cut(""));
  const resource: Attributes = truncateAttributes(r.resource, limit, cut(resourceKey("")));
  let events: SpanEvent[] | undefined;
  r.events.forEach((e, i) => {
    const attrs = truncateAttributes(e.attributes, limit, cut(`${eventKey(i)}:`));
    if (attrs !== e.attributes) {
      events ??= r.events.slice();
      events[i] = { ...e, attributes: attrs };
    }
  });
  if (attributes === r.attributes && resource === r.resource && !events) return r;
  return { ...r, attributes, resource, events: events ?? r.events };
}

/**
 * The backend of a stream at audit time: `max_value_length` caps values; a record older than the
 * retention at audit time is gone; one older than `available` (but retained) is archived; linkage fields
 * the store does not keep are missing links. Integrity is only summarised.
 */
export function compileStore(stream: Stream, ctx: ProcessorContext): Store {
  const retentionNs = durationNanos(stream.retention);
  const availableNs = stream.available !== undefined ? durationNanos(stream.available) : retentionNs;
  const kept = new Set(stream.correlation);
  const dropped = LINK_FIELDS.filter((f) => !kept.has(f));
  const cap = stream.max_value_length;
  // A run's records share its audit time: the ages that expire or archive a record become end times once
  // per run, and most records are judged by comparing text, without a bigint each.
  let at: bigint | undefined;
  let expiredBefore: bigint | undefined;
  let archivedBefore: bigint | undefined;
  let expiredText = "";
  let archivedText = "";
  return {
    retentionNs,
    availableNs,
    keep(original, auditTime) {
      if (auditTime !== at) {
        at = auditTime;
        expiredBefore = retentionNs !== undefined ? auditTime - retentionNs : undefined;
        archivedBefore = availableNs !== undefined ? auditTime - availableNs : undefined;
        expiredText = expiredBefore !== undefined && expiredBefore >= 0n ? expiredBefore.toString() : "";
        archivedText = archivedBefore !== undefined && archivedBefore >= 0n ? archivedBefore.toString() : "";
      }
      const end = original.end;
      const canonical = end.length === 1 || end.charCodeAt(0) !== 48;
      const expired = canonical
        ? expiredText !== "" && compareNanos(end, expiredText) < 0
        : expiredBefore !== undefined && BigInt(end) < expiredBefore;
      if (expired) {
        const age = auditTime - BigInt(end);
        recordLoss(
          ctx,
          original,
          "retention",
          RECORD,
          `${formatElapsed(age)} old at audit time, past the stream's retention of ${formatDuration(retentionNs!)}`,
        );
        return undefined;
      }
      const record = cap !== undefined ? capValues(original, cap, ctx) : original;
      const missingLinks: CorrelationField[] = [];
      for (const field of dropped) {
        if (field === "parentSpanId" && record.parentSpanId === undefined) continue;
        missingLinks.push(field);
        recordLoss(
          ctx,
          record,
          "correlation",
          { type: "link", field },
          `the store of stream ${stream.name} keeps ${stream.correlation.join(", ") || "no linkage fields"}; ${field} is not stored`,
        );
      }
      const archived = canonical
        ? archivedText !== "" && compareNanos(end, archivedText) < 0
        : archivedBefore !== undefined && BigInt(end) < archivedBefore;
      return { record, stream: stream.name, missingLinks, archived };
    },
  };
}

export function summarizeStream(stream: Stream, store: Store): Omit<StreamSummary, "samplers" | "notes"> {
  const summary: Omit<StreamSummary, "samplers" | "notes"> = {
    name: stream.name,
    correlation: [...stream.correlation],
    integrity: stream.integrity,
  };
  if (store.retentionNs !== undefined) summary.retentionNs = store.retentionNs;
  if (store.availableNs !== undefined) summary.availableNs = store.availableNs;
  return summary;
}
