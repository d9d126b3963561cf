/**
 * The closed value sets of a record (model/record.ts builds its zod enums from them), in a module that
 * loads nothing: readers that must not pay zod's start-up, such as the seal's canonical-line scan, take
 * them from here.
 */

/** The layer a record belongs to. */
export const LAYER_KIND_VALUES = ["agent", "llm", "tool", "policy", "handoff", "other"] as const;

/** The trace conventions trailcheck reads. */
export const CONVENTION_VALUES = [
  "genai",
  "ai-sdk",
  "openinference",
  "openai-agents",
  "native",
  "unknown",
] as const;

/** A record's status code. */
export const STATUS_CODE_VALUES = ["ok", "error", "unset"] as const;
