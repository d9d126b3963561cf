import type { Attributes, AttributeValue } from "../model/attributes.js";

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
  return out ?? attrs;
}

const encoder = new TextEncoder();

/**
 * OTTL `truncate_all` on one string: at most `limit` UTF-8 bytes, backed up to a character boundary
 * (its default utf8_safe). Returns undefined when the string already fits.
 */
export function truncateUtf8(text: string, limit: number): string | undefined {
  if (text.length * 3 <= limit) return undefined;
  const bytes = encoder.encode(text);
  if (bytes.length <= limit) return undefined;
  let at = limit;
  while (at > 0 && (bytes[at]! & 0xc0) === 0x80) at--;
  return new TextDecoder().decode(bytes.subarray(0, at));
}
