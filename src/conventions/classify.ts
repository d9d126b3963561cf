import type { AttributeValue } from "../model/attributes.js";
import { CLASSIFYING_KEY } from "../model/classifying-keys.js";
import type { Convention, LayerKind } from "../model/record.js";

/** What a record is, as its own convention says. */
export interface Classification {
  readonly kind: LayerKind;
  readonly convention: Convention;
}

const GENAI_OPERATIONS: Record<string, LayerKind> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  embeddings: "llm",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
  invoke_workflow: "agent",
  retrieval: "other",
};

const OPENINFERENCE_KINDS: Record<string, LayerKind> = {
  LLM: "llm",
  TOOL: "tool",
  AGENT: "agent",
  CHAIN: "other",
  GUARDRAIL: "policy",
  RETRIEVER: "other",
  RERANKER: "other",
  EMBEDDING: "other",
  EVALUATOR: "other",
};

const AGENTS_SDK_TYPES: Record<string, LayerKind> = {
  agent: "agent",
  generation: "llm",
  response: "llm",
  function: "tool",
  guardrail: "policy",
  handoff: "handoff",
  custom: "other",
  transcription: "other",
  speech: "other",
  speech_group: "other",
  mcp_tools: "other",
};

const NATIVE_KINDS: ReadonlySet<string> = new Set(["agent", "llm", "tool", "policy", "handoff", "other"]);

/** AI SDK operation ids: a tool call, a model step, a root (`generateText` …); anything else is `other`. */
const AI_SDK_OPERATIONS = {
  tool: "ai.toolCall",
  llm: /\.do(Generate|Stream)$/,
  agent: /^ai\.(generateText|streamText|generateObject|streamObject)$/,
} as const;

function aiSdkKind(operationId: string): LayerKind {
  if (operationId === AI_SDK_OPERATIONS.tool) return "tool";
  if (AI_SDK_OPERATIONS.llm.test(operationId)) return "llm";
  if (AI_SDK_OPERATIONS.agent.test(operationId)) return "agent";
  return "other";
}

/** A table's own entry: a value such as `constructor` names no kind. */
function lookup(table: Readonly<Record<string, LayerKind>>, key: string): LayerKind {
  return Object.hasOwn(table, key) ? table[key]! : "other";
}

/**
 * The attribute each convention is recognised by and how its value maps to a layer, in the order
 * `classifyRecord` tries them: code that classifies stored spans without reading them as records (a
 * query pushed into a database) builds on the same tables.
 */
export const CLASSIFICATION = {
  native: { key: CLASSIFYING_KEY.native, kinds: NATIVE_KINDS },
  "openai-agents": { key: CLASSIFYING_KEY["openai-agents"], kinds: AGENTS_SDK_TYPES },
  "ai-sdk": { key: CLASSIFYING_KEY["ai-sdk"], operations: AI_SDK_OPERATIONS },
  /** Matched case-insensitively (upper-cased first). */
  openinference: { key: CLASSIFYING_KEY.openinference, kinds: OPENINFERENCE_KINDS },
  genai: { key: CLASSIFYING_KEY.genai, kinds: GENAI_OPERATIONS },
} as const;

/**
 * Decides a record's layer and convention from its attributes. The native `trailcheck.kind` wins, so
 * users can mark spans that no convention covers (policy checks, for one).
 */
export function classifyRecord(attributes: Readonly<Record<string, AttributeValue>>): Classification {
  const value = (key: string) => (Object.hasOwn(attributes, key) ? attributes[key] : undefined);
  const native = value(CLASSIFICATION.native.key);
  if (typeof native === "string" && NATIVE_KINDS.has(native)) {
    return { kind: native as LayerKind, convention: "native" };
  }
  const agentsType = value(CLASSIFICATION["openai-agents"].key);
  if (typeof agentsType === "string") {
    return { kind: lookup(AGENTS_SDK_TYPES, agentsType), convention: "openai-agents" };
  }
  const operationId = value(CLASSIFICATION["ai-sdk"].key);
  if (typeof operationId === "string") return { kind: aiSdkKind(operationId), convention: "ai-sdk" };
  const oiKind = value(CLASSIFICATION.openinference.key);
  if (typeof oiKind === "string") {
    return { kind: lookup(OPENINFERENCE_KINDS, oiKind.toUpperCase()), convention: "openinference" };
  }
  const operation = value(CLASSIFICATION.genai.key);
  if (typeof operation === "string")
    return { kind: lookup(GENAI_OPERATIONS, operation), convention: "genai" };
  return { kind: "other", convention: "unknown" };
}
