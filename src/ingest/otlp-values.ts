import type { Attributes, AttributeValue } from "../model/attributes.js";
import { type HiddenType, noteType } from "../model/value-types.js";
import { isPlainObject, setOwn } from "./source.js";

/**
 * A problem at a field path relative to the value being converted; the caller prefixes its own
 * position, so paths are only built when something is wrong.
 */
export class FieldError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Deeper `arrayValue`/`kvlistValue` nesting is refused rather than risking the stack. */
export const MAX_VALUE_DEPTH = 64;

const ZERO_IDS = { 8: "0".repeat(16), 16: "0".repeat(32) } as const;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** What most exporters write: a regular expression runs faster than a loop over the characters. */
const LOWER_HEX = /^[0-9a-f]*$/;

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function isDigits(s: string, from: number): boolean {
  if (s.length <= from) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A trace (16 bytes) or span (8 bytes) id as lowercase hex. OTLP/JSON says hex, in any case; some
 * SDK serialisers emit the protobuf default, base64, so that is accepted too. The lengths never
 * overlap (32 vs 24/22 characters, 16 vs 12/11), so there is no ambiguity.
 */
export function otlpId(value: unknown, bytes: 8 | 16, field: string): string {
  if (typeof value !== "string") {
    throw new FieldError(
      field,
      value === undefined ? "missing" : `expected a hex string, got ${typeName(value)}`,
    );
  }
  let hex: string | undefined;
  if (value.length === bytes * 2) {
    if (LOWER_HEX.test(value)) hex = value;
    else if (isHex(value)) hex = value.toLowerCase();
  } else if (value.length <= Math.ceil(bytes / 3) * 4 && BASE64.test(value)) {
    const decoded = Buffer.from(value, "base64");
    if (decoded.length === bytes) hex = decoded.toString("hex");
  }
  if (hex === undefined) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new FieldError(
      field,
      `expected ${bytes * 2} hex digits (or base64 of ${bytes} bytes), got '${shown}'`,
    );
  }
  if (hex === ZERO_IDS[bytes]) throw new FieldError(field, "an all-zero id is invalid");
  return hex;
}

/** Unix nanoseconds, kept exact as a decimal string: from a decimal string or a JSON number. */
export function unixNanos(value: unknown, field: string): string {
  if (typeof value === "string") {
    if (value.length <= 20 && isDigits(value, 0)) {
      return value.length > 1 && value.charCodeAt(0) === 48 ? BigInt(value).toString() : value;
    }
  } else if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < 1e20) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  } else if (value === undefined) {
    throw new FieldError(field, "missing");
  }
  throw new FieldError(field, `expected unix nanoseconds as a decimal string, got ${typeName(value)}`);
}

/** An int64: a JS number when it is safe, else the exact decimal string. */
function int64Value(value: unknown, field: string): number | string {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && isDigits(value, value.charCodeAt(0) === 45 ? 1 : 0)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  throw new FieldError(field, `expected an integer, got ${typeName(value)}`);
}

function doubleValue(value: unknown, field: string): number | string {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    // proto3 JSON spells the non-finite doubles as strings; keep them so the record stays JSON-safe.
    if (value === "NaN" || value === "Infinity" || value === "-Infinity") return value;
    const n = Number(value);
    if (value.trim() !== "" && Number.isFinite(n)) return n;
  }
  throw new FieldError(field, `expected a number, got ${typeName(value)}`);
}

/** An OTLP `AnyValue` as plain JSON: arrays stay arrays, kvlists become objects, bytes stay base64. */
export function anyValue(value: unknown, depth = 0): AttributeValue {
  if (!isPlainObject(value)) {
    if (value === undefined || value === null) return null;
    throw new FieldError("", `expected an AnyValue object, got ${typeName(value)}`);
  }
  const s = value.stringValue;
  if (s !== undefined) {
    if (typeof s === "string") return s;
    throw new FieldError("stringValue", `expected a string, got ${typeName(s)}`);
  }
  if (value.boolValue !== undefined) {
    if (typeof value.boolValue === "boolean") return value.boolValue;
    throw new FieldError("boolValue", `expected a boolean, got ${typeName(value.boolValue)}`);
  }
  if (value.intValue !== undefined) return int64Value(value.intValue, "intValue");
  if (value.doubleValue !== undefined) return doubleValue(value.doubleValue, "doubleValue");
  if (value.arrayValue !== undefined) return arrayValue(value.arrayValue, depth + 1);
  if (value.kvlistValue !== undefined) return kvlistValue(value.kvlistValue, depth + 1);
  if (value.bytesValue !== undefined) {
    if (typeof value.bytesValue === "string") return value.bytesValue;
    throw new FieldError("bytesValue", `expected a base64 string, got ${typeName(value.bytesValue)}`);
  }
  return null;
}

function listOf(container: unknown, field: string, depth: number): unknown[] {
  if (depth > MAX_VALUE_DEPTH) throw new FieldError(field, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (!isPlainObject(container))
    throw new FieldError(field, `expected an object, got ${typeName(container)}`);
  const values = container.values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values))
    throw new FieldError(`${field}.values`, `expected an array, got ${typeName(values)}`);
  return values;
}

function arrayValue(container: unknown, depth: number): AttributeValue[] {
  const values = listOf(container, "arrayValue", depth);
  const out: AttributeValue[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let value: AttributeValue;
    try {
      value = anyValue(values[i], depth);
    } catch (err) {
      throw prefixed(err, `arrayValue.values[${i}]`);
    }
    out[i] = value;
    if (typeof value === "number" || typeof value === "string") {
      const type = hiddenType(values[i], value);
      if (type) noteType(out, i, type);
    }
  }
  return out;
}

function kvlistValue(container: unknown, depth: number): Record<string, AttributeValue> {
  const values = listOf(container, "kvlistValue", depth);
  const out: Record<string, AttributeValue> = {};
  for (let i = 0; i < values.length; i++) {
    try {
      setKeyValue(out, values[i], depth);
    } catch (err) {
      throw prefixed(err, `kvlistValue.values[${i}]`);
    }
  }
  return out;
}

/** Sets one OTLP `{key, value}` on `out` (no pair array per attribute: records have many). */
function setKeyValue(out: Record<string, AttributeValue>, kv: unknown, depth: number): void {
  if (!isPlainObject(kv)) throw new FieldError("", `expected a {key, value} object, got ${typeName(kv)}`);
  const key = kv.key;
  if (typeof key !== "string") {
    throw new FieldError("key", key === undefined ? "missing" : `expected a string, got ${typeName(key)}`);
  }
  const raw = kv.value;
  // Most values are strings: taken without the general conversion (an array has no `stringValue`).
  const text =
    typeof raw === "object" && raw !== null ? (raw as { stringValue?: unknown }).stringValue : undefined;
  if (typeof text === "string") {
    setOwn(out, key, text);
    return;
  }
  let value: AttributeValue;
  try {
    value = anyValue(raw, depth);
  } catch (err) {
    throw prefixed(err, "value");
  }
  setOwn(out, key, value);
  if (typeof value === "number" || typeof value === "string") {
    const type = hiddenType(raw, value);
    if (type) noteType(out, key, type);
  }
}

/**
 * The type `anyValue` gave a number or string that its plain form does not tell, following the order
 * in which `anyValue` reads the fields: an integral double, an int64 kept as a decimal string, a
 * non-finite double spelt as a string, bytes in base64.
 */
function hiddenType(raw: unknown, value: number | string): HiddenType | undefined {
  const any = raw as { stringValue?: unknown; intValue?: unknown; doubleValue?: unknown };
  if (typeof value === "number") {
    return any.intValue === undefined && Number.isInteger(value) ? "Double" : undefined;
  }
  if (any.stringValue !== undefined) return undefined;
  if (any.intValue !== undefined) return "Int";
  return any.doubleValue !== undefined ? "Double" : "Bytes";
}

/** An OTLP `KeyValue[]` as flat attributes. Absent or null means none. */
export function attributesFromOtlp(list: unknown, field: string): Attributes {
  const out: Attributes = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new FieldError(field, `expected an array, got ${typeName(list)}`);
  for (let i = 0; i < list.length; i++) {
    try {
      setKeyValue(out, list[i], 0);
    } catch (err) {
      throw prefixed(err, `${field}[${i}]`);
    }
  }
  return out;
}

/** Prefixes a `FieldError`'s path with the position of the value that contained it. */
export function prefixed(err: unknown, prefix: string): unknown {
  if (err instanceof FieldError) err.field = err.field ? `${prefix}.${err.field}` : prefix;
  return err;
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (value === undefined) return "nothing";
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
