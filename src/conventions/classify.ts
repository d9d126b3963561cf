import type { AttributeValue } from "../model/attributes.js";
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

const NATIVE_KINDS = new Set<string>(["agent", "llm", "tool", "policy", "handoff", "other"]);

function aiSdkKind(operationId: string): LayerKind {
  if (operationId === "ai.toolCall") return "tool";
  if (/\.do(Generate|Stream)$/.test(operationId)) return "llm";
  if (/^ai\.(generateText|streamText|generateObject|streamObject)$/.test(operationId)) return "agent";
  if (/^ai\.embed/.test(operationId)) return "other";
  return "other";
}

/**
 * Decides a record's layer and convention from its attributes. The native `trailcheck.kind` wins, so
 * users can mark spans that no convention covers (policy checks, for one).
 */
export function classifyRecord(attributes: Readonly<Record<string, AttributeValue>>): Classification {
  const native = attributes["trailcheck.kind"];
  if (typeof native === "string" && NATIVE_KINDS.has(native)) {
    return { kind: native as LayerKind, convention: "native" };
  }
  const agentsType = attributes["span_data.type"];
  if (typeof agentsType === "string") {
    return { kind: AGENTS_SDK_TYPES[agentsType] ?? "other", convention: "openai-agents" };
  }
  const operationId = attributes["ai.operationId"];
  if (typeof operationId === "string") return { kind: aiSdkKind(operationId), convention: "ai-sdk" };
  const oiKind = attributes["openinference.span.kind"];
  if (typeof oiKind === "string") {
    return { kind: OPENINFERENCE_KINDS[oiKind.toUpperCase()] ?? "other", convention: "openinference" };
  }
  const operation = attributes["gen_ai.operation.name"];
  if (typeof operation === "string")
    return { kind: GENAI_OPERATIONS[operation] ?? "other", convention: "genai" };
  return { kind: "other", convention: "unknown" };
}
