import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { factFrom, setRequestedToolCalls } from "./_internals/draft.js";
import { firstOf, stringOf } from "./_internals/values.js";

/** OTel GenAI semantic conventions (v1.37+) attribute keys, per fact. */
export const GENAI_KEYS = {
  agentName: ["gen_ai.agent.name"],
  model: ["gen_ai.request.model", "gen_ai.response.model"],
  input: ["gen_ai.input.messages"],
  output: ["gen_ai.output.messages"],
  toolName: ["gen_ai.tool.name"],
  callId: ["gen_ai.tool.call.id"],
  arguments: ["gen_ai.tool.call.arguments"],
  result: ["gen_ai.tool.call.result"],
} as const;

/**
 * Facts of GenAI agent, inference and tool spans. Tool calls the model asked for are the
 * `tool_call` parts of `gen_ai.output.messages`; that attribute is parsed only when it names one.
 */
export function mapGenAiFacts(record: SpanRecord, action: Action): void {
  const a = record.attributes;
  switch (action.kind) {
    case "agent": {
      const name = factFrom(action, "name", a, GENAI_KEYS.agentName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      factFrom(action, "input", a, GENAI_KEYS.input);
      factFrom(action, "output", a, GENAI_KEYS.output);
      return;
    }
    case "llm": {
      const model = factFrom(action, "model", a, GENAI_KEYS.model);
      if (model !== undefined) action.name = stringOf(model) ?? action.name;
      factFrom(action, "input", a, GENAI_KEYS.input);
      const output = firstOf(a, GENAI_KEYS.output);
      if (output) {
        action.facts.output = output.value;
        action.sources.output = output.key;
        setRequestedToolCalls(action, output.key, output.value);
      }
      return;
    }
    case "tool": {
      const name = factFrom(action, "name", a, GENAI_KEYS.toolName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      factFrom(action, "callId", a, GENAI_KEYS.callId);
      factFrom(action, "arguments", a, GENAI_KEYS.arguments);
      factFrom(action, "result", a, GENAI_KEYS.result);
      return;
    }
    default:
      return;
  }
}
