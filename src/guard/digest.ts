import { hash } from "node:crypto";
import { normaliseArguments, stableStringify } from "../conventions/_internals/values.js";

/** SHA-256 (hex) of a text. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

/**
 * The canonical JSON of a value (what `toJSON` and JSON would give, keys sorted), or undefined for a
 * value JSON can't hold (a cycle). A hash of it proves the value to whoever holds the original.
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : stableStringify(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** SHA-256 of a result's canonical JSON; a value JSON can't hold is hashed as its String(). */
export function resultSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value) ?? String(value));
}

/**
 * SHA-256 of tool arguments' canonical JSON. Arguments given as JSON text (the form a model sends)
 * hash the same as the parsed object, so either side of a call can be checked against the record.
 * Arguments JSON cannot hold (a cycle, a BigInt) throw: hashed as their String() — `[object Object]`
 * for all of them — the record would vouch for any arguments at all.
 */
export function argumentsSha256(value: unknown): string {
  const text = typeof value === "string" ? normaliseArguments(value) : canonicalJson(value);
  if (text === undefined) {
    throw new TypeError("the arguments cannot be hashed: JSON cannot hold them (a cycle or a BigInt)");
  }
  return sha256Hex(text);
}
