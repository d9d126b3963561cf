import type { Attributes, AttributeValue } from "../../model/attributes.js";
import type { SpanEvent, SpanRecord } from "../../model/record.js";
import { carryTypes, type HiddenType, noteType } from "../../model/value-types.js";
import { eventKey, resourceKey } from "../processor.js";

/** Which attribute map of a record an operation works on. */
export type MapScope = { of: "span" } | { of: "resource" } | { of: "event"; index: number };

export function mapOf(record: SpanRecord, scope: MapScope): Attributes {
  if (scope.of === "span") return record.attributes;
  if (scope.of === "resource") return record.resource;
  return record.events[scope.index]!.attributes;
}

/** A copy of the record with one of its attribute maps replaced (copy-on-write). */
export function withMap(record: SpanRecord, scope: MapScope, attrs: Attributes): SpanRecord {
  if (mapOf(record, scope) === attrs) return record;
  if (scope.of === "span") return { ...record, attributes: attrs };
  if (scope.of === "resource") return { ...record, resource: attrs };
  const events: SpanEvent[] = record.events.slice();
  events[scope.index] = { ...events[scope.index]!, attributes: attrs };
  return { ...record, events };
}

/** How a key of that map is named in loss targets. */
export function lossKey(scope: MapScope, key: string): string {
  if (scope.of === "span") return key;
  if (scope.of === "resource") return resourceKey(key);
  return eventKey(scope.index, key);
}

/**
 * A map with some keys removed and others set, keeping the order of the remaining keys. The values
 * kept keep their pdata types; a value set is of its plain type unless `types` names another
 * (value-types.ts).
 */
export function editMap(
  attrs: Attributes,
  remove: ReadonlySet<string>,
  set: ReadonlyMap<string, AttributeValue> = new Map(),
  types?: ReadonlyMap<string, HiddenType>,
): Attributes {
  if (remove.size === 0 && set.size === 0) return attrs;
  const out: Attributes = {};
  for (const key in attrs) {
    if (remove.has(key)) continue;
    out[key] = set.has(key) ? set.get(key)! : attrs[key]!;
  }
  for (const [key, value] of set) if (!(key in out) && !remove.has(key)) out[key] = value;
  carryTypes(attrs, out, set);
  if (types) for (const [key, type] of types) if (key in out && !remove.has(key)) noteType(out, key, type);
  return out;
}

/** Values compare by content (attribute values are JSON-shaped). */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
