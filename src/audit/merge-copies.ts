import { setOwn } from "../ingest/source.js";
import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { DIGEST, MASK } from "./stored-value.js";

/** How much of what was sent a copy's value still shows: masked, a digest, or written out. */
function readability(value: AttributeValue): number {
  if (typeof value !== "string") return 2;
  if (value.includes(MASK)) return 0;
  return DIGEST.test(value) ? 1 : 2;
}

/**
 * The copy's value that shows most of what was sent: an unmasked value over a masked one, a written
 * value over a digest, the longer of two (truncation cuts), and else the first in text order — so the
 * merged run doesn't depend on the order the stores were read in.
 */
function better(value: AttributeValue, current: AttributeValue): boolean {
  const rank = readability(value) - readability(current);
  if (rank !== 0) return rank > 0;
  if (typeof value !== "string" || typeof current !== "string") return false;
  if (value.length !== current.length) return value.length > current.length;
  return value < current;
}

/**
 * The parent the merged span names. Copies that disagree leave the run's tree in doubt, and the doubt
 * must not be settled by the order the stores were read in: a parent no stored span has (the tree breaks
 * there) before one the run holds, before none (a copy claiming the span is a root must not stand in
 * for a root that was lost); equal ranks by id.
 */
function parentOf(copies: readonly SpanRecord[], present: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let rank = -1;
  for (const { parentSpanId: p } of copies) {
    const r = p === undefined ? 0 : present.has(p) ? 1 : 2;
    if (r > rank || (r === rank && p !== undefined && best !== undefined && p < best)) {
      best = p;
      rank = r;
    }
  }
  return best;
}

/**
 * One record per span id, as an auditor would assemble the run: a span stored in several streams (each
 * with its own processors) keeps every attribute any copy holds, each with the most readable value any
 * copy holds (`better`), and the parent `parentOf` picks. The first copy gives the span's other fields.
 * Records are not modified.
 */
export function mergeCopies(records: readonly SpanRecord[]): readonly SpanRecord[] {
  // Most runs hold one copy of each span: find that out without grouping or copying anything.
  const ids = new Set<string>();
  for (const r of records) ids.add(r.spanId);
  if (ids.size === records.length) return records;
  const byId = new Map<string, SpanRecord[]>();
  for (const r of records) {
    const list = byId.get(r.spanId);
    if (list) list.push(r);
    else byId.set(r.spanId, [r]);
  }
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
        if (current === undefined || better(value, current)) setOwn(attributes, key, value);
      }
    }
    const streams = copies.map((c) => c.stream).filter((s) => s !== undefined);
    const { parentSpanId: _, ...first } = copies[0]!;
    const parent = parentOf(copies, ids);
    out.push({
      ...first,
      ...(parent !== undefined ? { parentSpanId: parent } : {}),
      attributes,
      ...(streams.length > 0 ? { stream: [...new Set(streams)].join(",") } : {}),
    });
  }
  return out;
}
