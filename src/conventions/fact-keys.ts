import type { ActionKind, FactName } from "../model/action.js";
import type { Convention } from "../model/record.js";
import { FIELD_SOURCES } from "./_internals/draft.js";
import { AI_SDK_KEYS } from "./ai-sdk.js";
import { GENAI_KEYS } from "./genai.js";
import { NATIVE_KEYS } from "./native.js";
import { OPENAI_AGENTS_KEYS } from "./openai-agents.js";
import { OPENINFERENCE_KEYS } from "./openinference.js";

type KeyTable = Partial<Record<ActionKind, Partial<Record<FactName, readonly string[]>>>>;

const POLICY = {
  name: NATIVE_KEYS.policyName,
  decision: NATIVE_KEYS.decision,
  reason: NATIVE_KEYS.reason,
  subject: NATIVE_KEYS.subject,
} as const;
const HANDOFF = { from: NATIVE_KEYS.handoffFrom, to: NATIVE_KEYS.handoffTo } as const;

const GENAI: KeyTable = {
  agent: { name: GENAI_KEYS.agentName, input: GENAI_KEYS.input, output: GENAI_KEYS.output },
  llm: {
    model: GENAI_KEYS.model,
    input: GENAI_KEYS.input,
    output: GENAI_KEYS.output,
    toolCalls: GENAI_KEYS.output,
  },
  tool: {
    name: GENAI_KEYS.toolName,
    callId: GENAI_KEYS.callId,
    arguments: GENAI_KEYS.arguments,
    result: GENAI_KEYS.result,
  },
  policy: POLICY,
  handoff: HANDOFF,
};

/**
 * Where each convention's mapper reads each fact (the same key lists the mappers use), so that code
 * which looks at stored attributes without mapping a record — a loss's attribution, a query pushed
 * into a database — asks about the same keys. Facts that come from the record's own fields
 * (`record`, `traceId`, `parent`, `status`) are named by field.
 */
const TABLES: Record<Convention, KeyTable> = {
  genai: GENAI,
  native: GENAI,
  unknown: GENAI,
  "ai-sdk": {
    agent: { name: AI_SDK_KEYS.agentName, input: AI_SDK_KEYS.rootInput, output: AI_SDK_KEYS.output },
    llm: {
      model: AI_SDK_KEYS.model,
      input: AI_SDK_KEYS.stepInput,
      output: AI_SDK_KEYS.output,
      toolCalls: AI_SDK_KEYS.toolCalls,
    },
    tool: {
      name: AI_SDK_KEYS.toolName,
      callId: AI_SDK_KEYS.callId,
      arguments: AI_SDK_KEYS.arguments,
      result: AI_SDK_KEYS.result,
    },
    policy: POLICY,
    handoff: HANDOFF,
  },
  openinference: {
    agent: {
      name: OPENINFERENCE_KEYS.agentName,
      input: OPENINFERENCE_KEYS.input,
      output: OPENINFERENCE_KEYS.output,
    },
    llm: {
      model: OPENINFERENCE_KEYS.model,
      input: [...OPENINFERENCE_KEYS.input, OPENINFERENCE_KEYS.inputMessages],
      output: OPENINFERENCE_KEYS.output,
      toolCalls: [OPENINFERENCE_KEYS.outputMessages, ...OPENINFERENCE_KEYS.output],
    },
    tool: {
      name: OPENINFERENCE_KEYS.toolName,
      callId: OPENINFERENCE_KEYS.callId,
      arguments: [...OPENINFERENCE_KEYS.arguments, OPENINFERENCE_KEYS.parameters],
      result: OPENINFERENCE_KEYS.result,
    },
    policy: {
      ...POLICY,
      name: [...POLICY.name, ...OPENINFERENCE_KEYS.guardrailName],
      decision: [...POLICY.decision, ...OPENINFERENCE_KEYS.output],
    },
    handoff: HANDOFF,
  },
  "openai-agents": {
    agent: { name: [OPENAI_AGENTS_KEYS.name] },
    llm: {
      model: OPENAI_AGENTS_KEYS.model,
      input: OPENAI_AGENTS_KEYS.input,
      output: OPENAI_AGENTS_KEYS.output,
      toolCalls: OPENAI_AGENTS_KEYS.output,
    },
    tool: {
      name: [OPENAI_AGENTS_KEYS.name],
      arguments: OPENAI_AGENTS_KEYS.input,
      result: OPENAI_AGENTS_KEYS.output,
    },
    policy: { name: [OPENAI_AGENTS_KEYS.name], decision: [OPENAI_AGENTS_KEYS.triggered] },
    handoff: { from: [OPENAI_AGENTS_KEYS.from], to: [OPENAI_AGENTS_KEYS.to] },
  },
};

const FIELD_FACTS: Partial<Record<FactName, string>> = FIELD_SOURCES;

/**
 * The attribute keys (or record fields) a fact of an action kind lives in under a convention, the key
 * the instrumentation writes first; empty when the convention has no place for the fact.
 */
export function factKeys(convention: Convention, kind: ActionKind, fact: FactName): readonly string[] {
  const field = FIELD_FACTS[fact];
  if (field !== undefined && fact !== "name") return [field];
  return TABLES[convention][kind]?.[fact] ?? (field !== undefined ? [field] : []);
}
