import type { Attributes, AttributeValue } from "../../model/attributes.js";

/** Nesting deeper than this is not walked (hostile input must not exhaust the stack). */
export const MAX_DEPTH = 48;

/** A value counts as present unless it is absent, null or an empty string (a blanked field). */
export function isPresent(value: unknown): value is AttributeValue {
  return value !== undefined && value !== null && value !== "";
}

/** An own attribute, never one inherited from `Object.prototype` (`__proto__`, `constructor`…). */
export function own(attributes: Attributes, key: string): AttributeValue | undefined {
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

/** The first present attribute among `keys`, with the key that held it. */
export function firstOf(
  attributes: Attributes,
  keys: readonly string[],
): { key: string; value: AttributeValue } | undefined {
  for (const key of keys) {
    const value = own(attributes, key);
    if (isPresent(value)) return { key, value };
  }
  return undefined;
}

/** The first key among `keys` whose own attribute is present: `firstOf` without a result object. */
export function firstKeyOf(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (let i = 0; i < keys.length; i++) if (isPresent(own(attributes, keys[i]!))) return keys[i];
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** `JSON.parse` that returns undefined instead of throwing (bad, truncated or too deep input). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON value given either as text or already parsed (OTLP array/kvlist values). */
export function jsonValue(value: AttributeValue | undefined): unknown {
  if (typeof value !== "string") return value;
  const t = value.trimStart();
  return t.startsWith("{") || t.startsWith("[") ? parseJson(t) : value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property of a parsed JSON object. */
export function prop(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/**
 * JSON with object keys sorted, so that `{"b":1,"a":2}` and `{"a":2, "b":1}` compare equal.
 * Returns undefined for values nested deeper than `MAX_DEPTH`.
 */
export function stableStringify(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" ? JSON.stringify(String(value)) : (JSON.stringify(value) ?? "null");
  }
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = stableStringify(item, depth + 1);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return `[${parts.join(",")}]`;
  }
  for (const key of Object.keys(value).sort()) {
    const s = stableStringify((value as Record<string, unknown>)[key], depth + 1);
    if (s === undefined) return undefined;
    parts.push(`${JSON.stringify(key)}:${s}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * Tool arguments in a comparable form: JSON text is parsed and re-serialised with sorted keys,
 * anything else is compared as trimmed text.
 */
export function normaliseArguments(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const t = value.trim();
    const parsed = t.startsWith("{") || t.startsWith("[") ? parseJson(t) : undefined;
    return parsed === undefined ? t : (stableStringify(parsed) ?? t);
  }
  return stableStringify(value);
}

/** Tool arguments as text, the way the record holds them (objects as JSON). */
export function argumentsText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads a dotted path whether the reader flattened it into one key (`span_data.data.usage`), kept
 * an object under a shorter key (`span_data` → `{data:{usage}}`), or stored that object as JSON
 * text. Returns the value and the attribute key that held it.
 */
export function readPath(
  attributes: Attributes,
  path: string,
): { key: string; value: AttributeValue | unknown } | undefined {
  const direct = own(attributes, path);
  if (direct !== undefined) return { key: path, value: direct };
  const segments = path.split(".");
  for (let cut = segments.length - 1; cut >= 1; cut--) {
    const key = segments.slice(0, cut).join(".");
    const holder = own(attributes, key);
    if (holder === undefined) continue;
    let value: unknown = typeof holder === "string" ? jsonValue(holder) : holder;
    for (const segment of segments.slice(cut)) value = prop(value, segment);
    return value === undefined ? undefined : { key, value };
  }
  return undefined;
}

/**
 * Rebuilds the subtree of flattened keys under `prefix` (`llm.output_messages.0.message.role` …)
 * as nested objects, for facts a convention spreads over many keys. Returns the first key found
 * (sorted), which is the one reported as the fact's source.
 */
export function collectFlattened(
  attributes: Attributes,
  prefix: string,
): { key: string; value: Record<string, unknown> } | undefined {
  const start = `${prefix}.`;
  let first: string | undefined;
  const root: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(start)) continue;
    const value = attributes[key];
    if (!isPresent(value)) continue;
    if (first === undefined || key < first) first = key;
    const segments = key.slice(start.length).split(".");
    if (segments.length > MAX_DEPTH) continue;
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i]!;
      const next = node[segment];
      if (isObject(next)) node = next;
      else {
        const child: Record<string, unknown> = Object.create(null);
        node[segment] = child;
        node = child;
      }
    }
    node[segments[segments.length - 1]!] = value;
  }
  return first === undefined ? undefined : { key: first, value: root };
}

/** The numbered children of a rebuilt flattened list (`0`, `1`, …) in index order. */
export function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => value[k]);
}
