import type { Convention } from "./record.js";

/**
 * The attribute each convention marks a span's layer with (conventions/classify.ts reads them in the
 * order native, openai-agents, ai-sdk, openinference, genai). Deleting one, or setting one a span did not
 * carry, changes what a stored span reads as.
 */
export const CLASSIFYING_KEY = {
  native: "trailcheck.kind",
  "openai-agents": "span_data.type",
  "ai-sdk": "ai.operationId",
  openinference: "openinference.span.kind",
  genai: "gen_ai.operation.name",
} as const satisfies Partial<Record<Convention, string>>;

export const CLASSIFYING_KEYS: ReadonlySet<string> = new Set(Object.values(CLASSIFYING_KEY));
