import type { AttributeValue } from "../../model/attributes.js";

/**
 * pcommon `Value.AsString()`: strings as they are, booleans `true`/`false`, numbers as Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)` (integers without a fraction, never an exponent), maps and
 * slices as JSON, an empty value as "". (The collector's JSON for maps does not fix the key order;
 * this keeps the recorded one.)
 */
export function goAsString(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return goFormatFloat(value);
  return JSON.stringify(value);
}

/** `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read back as `v`, in plain notation. */
export function goFormatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  const text = String(v);
  const e = text.indexOf("e");
  if (e < 0) return text;
  // JavaScript switches to exponent notation below 1e-6 and from 1e21; Go's 'f' never does.
  const sign = text.startsWith("-") ? "-" : "";
  const mantissa = text.slice(sign.length, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
