import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { factFrom, setFact, setRequestedToolCalls } from "./_internals/draft.js";
import { firstKeyOf, stringOf } from "./_internals/values.js";

/** Vercel AI SDK v5/v6 telemetry attribute keys, per fact (`ai/core/telemetry`, `generate-text`). */
export const AI_SDK_KEYS = {
  agentName: ["ai.telemetry.functionId", "ai.operationId"],
  model: ["ai.model.id", "gen_ai.request.model", "ai.response.model", "gen_ai.response.model"],
  rootInput: ["ai.prompt"],
  stepInput: ["ai.prompt.messages", "ai.prompt"],
  output: ["ai.response.text", "ai.response.object", "ai.response.toolCalls"],
  toolCalls: ["ai.response.toolCalls"],
  toolName: ["ai.toolCall.name"],
  callId: ["ai.toolCall.id"],
  arguments: ["ai.toolCall.args"],
  result: ["ai.toolCall.result"],
} as const;

/**
 * Facts of `ai.generateText`/`ai.streamText` roots (agent), their `doGenerate`/`doStream` steps
 * (llm) and `ai.toolCall` spans. `ai.response.toolCalls` is only written when a step asked for
 * tools, so a step whose text or object was recorded and has no such attribute asked for none.
 */
export function mapAiSdkFacts(record: SpanRecord, action: Action): void {
  const a = record.attributes;
  switch (action.kind) {
    case "agent": {
      const name = factFrom(action, "name", a, AI_SDK_KEYS.agentName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      factFrom(action, "input", a, AI_SDK_KEYS.rootInput);
      factFrom(action, "output", a, AI_SDK_KEYS.output);
      return;
    }
    case "llm": {
      const model = factFrom(action, "model", a, AI_SDK_KEYS.model);
      if (model !== undefined) action.name = stringOf(model) ?? action.name;
      factFrom(action, "input", a, AI_SDK_KEYS.stepInput);
      const output = factFrom(action, "output", a, AI_SDK_KEYS.output);
      const callsKey = firstKeyOf(a, AI_SDK_KEYS.toolCalls);
      if (callsKey !== undefined) setRequestedToolCalls(action, callsKey, a[callsKey]);
      else if (output !== undefined) setFact(action, "toolCalls", action.sources.output!, "[]");
      return;
    }
    case "tool": {
      const name = factFrom(action, "name", a, AI_SDK_KEYS.toolName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      factFrom(action, "callId", a, AI_SDK_KEYS.callId);
      factFrom(action, "arguments", a, AI_SDK_KEYS.arguments);
      factFrom(action, "result", a, AI_SDK_KEYS.result);
      return;
    }
    default:
      return;
  }
}
