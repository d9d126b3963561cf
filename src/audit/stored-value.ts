import type { FactName } from "../model/action.js";
import type { Attributes, AttributeValue } from "../model/attributes.js";

/** How a stored fact reads: as written, masked by a redaction rule, or replaced by a digest. */
export type StoredState = "present" | "masked" | "hashed";

/** The redaction processor's mask for blocked values and keys (redaction processor, `processor.go`). */
export const MASK = "****";

/** Hex digests of the hash functions the redaction and attributes processors offer (md5 … sha512). */
export const DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;

/**
 * Facts whose values are content (what was said, sent or decided). Only these are read as hashed
 * when a whole value is a hex digest: ids, names and models are legitimately hex at times.
 */
export const CONTENT: ReadonlySet<FactName> = new Set([
  "input",
  "output",
  "arguments",
  "result",
  "reason",
  "toolCalls",
]);

const NONE: ReadonlySet<string> = new Set();

/** The keys the redaction processor's `summary: debug` lists on a record it changed, by list. */
export interface RedactionSummary {
  readonly deleted: ReadonlySet<string>;
  readonly masked: ReadonlySet<string>;
}

/** What most records have: no summary at all. */
const NO_SUMMARY: RedactionSummary = { deleted: NONE, masked: NONE };

function summaryList(attributes: Attributes, key: string): ReadonlySet<string> {
  const value = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
  return typeof value === "string" && value !== "" ? new Set(value.split(",")) : NONE;
}

/** The keys the redaction processor's `summary: debug` lists on a record it changed, by list. */
export function redactionSummary(attributes: Attributes): RedactionSummary {
  const deleted = summaryList(attributes, "redaction.redacted.keys");
  const masked = summaryList(attributes, "redaction.masked.keys");
  return deleted === NONE && masked === NONE ? NO_SUMMARY : { deleted, masked };
}

/**
 * Reads a stored fact value. A value holding the collector's mask is masked; a content value that is
 * a whole hex digest, or any value the redaction summary lists as masked, is hashed (a digest proves
 * what was sent only to someone who knows the original). An agent that itself writes `****` into a
 * required fact reads as masked too: from the store alone the two can't be told apart.
 */
export function storedState(value: AttributeValue, fact: FactName, summaryMasked: boolean): StoredState {
  if (typeof value === "string") {
    if (value.includes(MASK)) return "masked";
    if (CONTENT.has(fact) && DIGEST.test(value)) return "hashed";
  }
  return summaryMasked ? "hashed" : "present";
}
