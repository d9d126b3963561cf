import { setOwn } from "../ingest/source.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { MASK } from "./stored-value.js";

const masked = (value: unknown) => typeof value === "string" && value.includes(MASK);

/**
 * One record per span id, as an auditor would assemble the run: a span stored in several streams (each
 * with its own processors) keeps every attribute any copy holds, and an unmasked value wins over a
 * masked one. The first copy gives the span's fields. Records are not modified.
 */
export function mergeCopies(records: readonly SpanRecord[]): SpanRecord[] {
  const byId = new Map<string, SpanRecord[]>();
  for (const r of records) {
    const list = byId.get(r.spanId);
    if (list) list.push(r);
    else byId.set(r.spanId, [r]);
  }
  if (byId.size === records.length) return [...records];
  const out: SpanRecord[] = [];
  for (const copies of byId.values()) {
    if (copies.length === 1) {
      out.push(copies[0]!);
      continue;
    }
    const attributes: Attributes = {};
    for (const copy of copies) {
      for (const [key, value] of Object.entries(copy.attributes)) {
        const current = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
        if (current === undefined || (masked(current) && !masked(value))) setOwn(attributes, key, value);
      }
    }
    const streams = copies.map((c) => c.stream).filter((s) => s !== undefined);
    out.push({
      ...copies[0]!,
      attributes,
      ...(streams.length > 0 ? { stream: [...new Set(streams)].join(",") } : {}),
    });
  }
  return out;
}
