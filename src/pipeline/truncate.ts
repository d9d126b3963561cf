import type { Attributes, AttributeValue } from "../model/attributes.js";
import { carryTypes } from "../model/value-types.js";

/** A value cut to `limit` UTF-16 units (strings, and the strings of an array), or undefined when unchanged. */
export function truncateValue(value: AttributeValue, limit: number): AttributeValue | undefined {
  if (typeof value === "string") return value.length > limit ? value.slice(0, limit) : undefined;
  if (Array.isArray(value) && value.some((v) => typeof v === "string" && v.length > limit)) {
    return value.map((v) => (typeof v === "string" && v.length > limit ? v.slice(0, limit) : v));
  }
  return undefined;
}

/**
 * Applies a length cap to a map of attributes, copy-on-write: returns the same object when nothing was
 * cut, and reports each cut key with its original length.
 */
export function truncateAttributes(
  attrs: Attributes,
  limit: number,
  onCut: (key: string, originalLength: number) => void,
): Attributes {
  let out: Attributes | undefined;
  for (const key in attrs) {
    const v = attrs[key]!;
    const cut = truncateValue(v, limit);
    if (cut === undefined) continue;
    out ??= { ...attrs };
    out[key] = cut;
    onCut(key, typeof v === "string" ? v.length : JSON.stringify(v).length);
  }
  // The values left whole keep their pdata types (value-types.ts); a cut one is a new string.
  return out ? carryTypes(attrs, out) : attrs;
}

/**
 * OTTL `truncate_all` on one string: at most `limit` UTF-8 bytes, backed up to a character boundary
 * (its default utf8_safe). Returns undefined when the string already fits. Counts bytes as it goes, so
 * long values cost only up to the cut.
 */
export function truncateUtf8(text: string, limit: number): string | undefined {
  if (text.length * 3 <= limit) return undefined;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < text.length;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + n > limit) return text.slice(0, i);
    bytes += n;
    if (pair) i++;
  }
  return undefined;
}
