import type { Action } from "../model/action.js";
import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { factFrom, setFact, setRequestedToolCalls } from "./_internals/draft.js";
import { extractToolCalls } from "./_internals/tool-calls.js";
import {
  collectFlattened,
  firstOf,
  isObject,
  jsonValue,
  listOf,
  prop,
  stringOf,
} from "./_internals/values.js";
import { mapPolicyAttributes, normaliseDecision } from "./native.js";

/** OpenInference (Arize) attribute keys, per fact. */
export const OPENINFERENCE_KEYS = {
  agentName: ["agent.name"],
  model: ["llm.model_name"],
  input: ["input.value"],
  output: ["output.value"],
  inputMessages: "llm.input_messages",
  outputMessages: "llm.output_messages",
  toolName: ["tool.name"],
  callId: ["tool_call.id", "tool.id"],
  /** `input.value` holds the call's arguments; `tool.parameters` is the tool's parameter schema. */
  arguments: ["input.value"],
  parameters: "tool.parameters",
  result: ["output.value"],
  guardrailName: ["guardrail.name"],
} as const;

/** `tool.parameters` as some instrumentations fill it with the arguments, not with a JSON Schema. */
function parametersAsArguments(attributes: Attributes): AttributeValue | undefined {
  const raw = attributes[OPENINFERENCE_KEYS.parameters];
  if (raw === undefined || raw === null || raw === "" || raw === "{}") return undefined;
  const parsed = jsonValue(raw);
  const schema =
    isObject(parsed) &&
    (Object.hasOwn(parsed, "$schema") ||
      (prop(parsed, "type") === "object" && Object.hasOwn(parsed, "properties")));
  return schema ? undefined : raw;
}

/** The flattened `llm.output_messages.N.message.tool_calls.M.tool_call.*` keys, as tool calls. */
function mapOutputMessages(attributes: Attributes, action: Action): boolean {
  const messages = collectFlattened(attributes, OPENINFERENCE_KEYS.outputMessages);
  if (!messages) return false;
  const calls = [];
  let source: string | undefined;
  for (const entry of listOf(messages.value)) {
    for (const item of listOf(prop(prop(entry, "message"), "tool_calls"))) {
      calls.push(...extractToolCalls(prop(item, "tool_call") ?? item));
    }
  }
  if (calls.length > 0) {
    const prefix = `${OPENINFERENCE_KEYS.outputMessages}.`;
    source = Object.keys(attributes)
      .filter((k) => k.startsWith(prefix) && k.includes(".tool_calls.") && k.endsWith(".function.name"))
      .sort()[0];
  }
  action.requestedToolCalls = calls;
  setFact(action, "toolCalls", source ?? messages.key, JSON.stringify(calls));
  if (action.facts.output === undefined)
    setFact(action, "output", messages.key, JSON.stringify(messages.value));
  return true;
}

/** A guardrail's outcome from its `output.value`: a decision word, or a JSON verdict. */
function guardrailDecision(value: AttributeValue): string | undefined {
  const word = normaliseDecision(value);
  if (word) return word;
  const parsed = jsonValue(value);
  const decision = normaliseDecision(prop(parsed, "decision"));
  if (decision) return decision;
  for (const key of ["triggered", "tripwire_triggered", "tripwireTriggered", "blocked", "flagged"]) {
    const v = prop(parsed, key);
    if (typeof v === "boolean") return v ? (key === "flagged" ? "flag" : "deny") : "allow";
  }
  for (const key of ["passed", "allowed", "pass", "valid"]) {
    const v = prop(parsed, key);
    if (typeof v === "boolean") return v ? "allow" : "deny";
  }
  return undefined;
}

export function mapOpenInferenceFacts(record: SpanRecord, action: Action): void {
  const a = record.attributes;
  switch (action.kind) {
    case "agent": {
      const name = factFrom(action, "name", a, OPENINFERENCE_KEYS.agentName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      else setFact(action, "name", "name", record.name);
      factFrom(action, "input", a, OPENINFERENCE_KEYS.input);
      factFrom(action, "output", a, OPENINFERENCE_KEYS.output);
      return;
    }
    case "llm": {
      const model = factFrom(action, "model", a, OPENINFERENCE_KEYS.model);
      if (model !== undefined) action.name = stringOf(model) ?? action.name;
      if (factFrom(action, "input", a, OPENINFERENCE_KEYS.input) === undefined) {
        const messages = collectFlattened(a, OPENINFERENCE_KEYS.inputMessages);
        if (messages) setFact(action, "input", messages.key, JSON.stringify(messages.value));
      }
      factFrom(action, "output", a, OPENINFERENCE_KEYS.output);
      if (!mapOutputMessages(a, action)) {
        // No flattened messages: the raw response in `output.value` may still hold the calls.
        const output = firstOf(a, OPENINFERENCE_KEYS.output);
        if (output) setRequestedToolCalls(action, output.key, output.value);
      }
      return;
    }
    case "tool": {
      const name = factFrom(action, "name", a, OPENINFERENCE_KEYS.toolName);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      factFrom(action, "callId", a, OPENINFERENCE_KEYS.callId);
      if (factFrom(action, "arguments", a, OPENINFERENCE_KEYS.arguments) === undefined) {
        setFact(action, "arguments", OPENINFERENCE_KEYS.parameters, parametersAsArguments(a));
      }
      factFrom(action, "result", a, OPENINFERENCE_KEYS.result);
      return;
    }
    case "policy": {
      mapPolicyAttributes(a, action);
      if (action.facts.name === undefined) {
        const name = factFrom(action, "name", a, OPENINFERENCE_KEYS.guardrailName);
        if (name !== undefined) action.name = stringOf(name) ?? action.name;
        else setFact(action, "name", "name", record.name);
      }
      if (action.facts.decision === undefined) {
        const output = firstOf(a, OPENINFERENCE_KEYS.output);
        const decision = output ? guardrailDecision(output.value) : undefined;
        if (output && decision) {
          setFact(action, "decision", output.key, decision);
          action.blocks = decision === "deny";
        }
      }
      return;
    }
    default:
      return;
  }
}
