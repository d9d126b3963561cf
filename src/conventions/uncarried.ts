import type { ActionKind, FactName } from "../model/action.js";
import type { Convention, SpanRecord } from "../model/record.js";
import { agentsSpanType } from "./openai-agents.js";

/**
 * Facts of `FACTS_BY_KIND` that a convention has no place for, so a comparison must not report
 * them as gaps (they are absent from truth too). A listed fact is still filled when a record happens
 * to carry it (for example native `policy.*` attributes on an OpenInference guardrail span).
 */
export const UNCARRIED_FACTS: Record<Convention, Partial<Record<ActionKind, FactName[]>>> = {
  genai: {},
  "ai-sdk": {},
  openinference: {
    // GUARDRAIL spans have no standard attributes for the reason or the governed action.
    policy: ["reason", "subject"],
  },
  "openai-agents": {
    // AgentSpanData is {name, handoffs, tools, output_type}: no input or output.
    agent: ["input", "output"],
    // FunctionSpanData is {name, input, output, mcp_data}: no tool call id.
    tool: ["callId"],
    // GuardrailSpanData is {name, triggered}.
    policy: ["reason", "subject"],
  },
  native: {},
  unknown: {},
};

/** Exported `response` spans keep only `response_id` (`_input`/`_response` are private fields). */
const AGENTS_RESPONSE_SPAN: FactName[] = ["model", "input", "output", "toolCalls"];

/**
 * The facts a given record cannot carry: `UNCARRIED_FACTS` plus what a record's own sub-type
 * rules out (an Agents SDK `response` span, as opposed to a `generation` span).
 */
export function uncarriedFacts(
  convention: Convention,
  kind: ActionKind,
  record?: SpanRecord,
): readonly FactName[] {
  const listed = UNCARRIED_FACTS[convention][kind] ?? [];
  if (convention === "openai-agents" && kind === "llm" && record && agentsSpanType(record) === "response") {
    return [...listed, ...AGENTS_RESPONSE_SPAN];
  }
  return listed;
}
