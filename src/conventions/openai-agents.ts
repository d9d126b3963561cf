import type { Action, FactName } from "../model/action.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { setFact, setRequestedToolCalls } from "./_internals/draft.js";
import { collectFlattened, isPresent, readPath, stringOf } from "./_internals/values.js";

/**
 * OpenAI Agents SDK trace export (`span_data` of `trace.span` objects, `tracing/spans.ts`). The
 * reader may flatten `span_data` into dotted keys or keep objects; `readPath` accepts both.
 */
export const OPENAI_AGENTS_KEYS = {
  type: "span_data.type",
  name: "span_data.name",
  input: ["span_data.input", "span_data._input"],
  output: ["span_data.output", "span_data._response"],
  model: ["span_data.model", "span_data._response.model"],
  triggered: "span_data.triggered",
  from: "span_data.from_agent",
  to: "span_data.to_agent",
  sdkSpanType: "span_data.data.sdk_span_type",
  turnAgent: "span_data.data.agent_name",
  usageTokens: ["span_data.data.usage.input_tokens", "span_data.data.usage.output_tokens"],
} as const;

function read(attributes: Attributes, paths: string | readonly string[]) {
  for (const path of typeof paths === "string" ? [paths] : paths) {
    const hit = readPath(attributes, path) ?? collectFlattened(attributes, path);
    if (hit && isPresent(hit.value)) return hit;
  }
  return undefined;
}

function factAt(action: Action, fact: FactName, attributes: Attributes, paths: string | readonly string[]) {
  const hit = read(attributes, paths);
  if (hit) setFact(action, fact, hit.key, hit.value);
  return hit?.value;
}

function triggered(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

export function mapOpenAiAgentsFacts(record: SpanRecord, action: Action): void {
  const a = record.attributes;
  switch (action.kind) {
    case "agent":
    case "tool": {
      const name = factAt(action, "name", a, OPENAI_AGENTS_KEYS.name);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      if (action.kind === "tool") {
        // Function spans carry no call id: the cross-layer pass matches them by name and arguments.
        factAt(action, "arguments", a, OPENAI_AGENTS_KEYS.input);
        factAt(action, "result", a, OPENAI_AGENTS_KEYS.output);
      }
      return;
    }
    case "llm": {
      const model = factAt(action, "model", a, OPENAI_AGENTS_KEYS.model);
      if (model !== undefined) action.name = stringOf(model) ?? action.name;
      factAt(action, "input", a, OPENAI_AGENTS_KEYS.input);
      const output = read(a, OPENAI_AGENTS_KEYS.output);
      if (output) {
        setFact(action, "output", output.key, output.value);
        setRequestedToolCalls(action, output.key, output.value);
      }
      return;
    }
    case "policy": {
      const name = factAt(action, "name", a, OPENAI_AGENTS_KEYS.name);
      if (name !== undefined) action.name = stringOf(name) ?? action.name;
      const hit = read(a, OPENAI_AGENTS_KEYS.triggered);
      const fired = hit ? triggered(hit.value) : undefined;
      if (hit && fired !== undefined) {
        setFact(action, "decision", hit.key, fired ? "deny" : "allow");
        action.blocks = fired;
      }
      return;
    }
    case "handoff": {
      const from = factAt(action, "from", a, OPENAI_AGENTS_KEYS.from);
      const to = factAt(action, "to", a, OPENAI_AGENTS_KEYS.to);
      action.name = `${stringOf(from) ?? "?"} → ${stringOf(to) ?? "?"}`;
      return;
    }
    default:
      return;
  }
}

/** The `span_data.type` of an Agents SDK record (`generation`, `response`, `custom` …). */
export function agentsSpanType(record: SpanRecord): string | undefined {
  const hit = readPath(record.attributes, OPENAI_AGENTS_KEYS.type);
  return typeof hit?.value === "string" ? hit.value : undefined;
}

/**
 * An Agents SDK `turn` span (a `custom` span with `data.sdk_span_type: "turn"`) that carries token
 * usage, i.e. evidence that a model was called in that turn. Returns the turn's agent name.
 */
export function turnWithUsage(record: SpanRecord): { agentName?: string } | undefined {
  const a = record.attributes;
  if (readPath(a, OPENAI_AGENTS_KEYS.sdkSpanType)?.value !== "turn") return undefined;
  const used = OPENAI_AGENTS_KEYS.usageTokens.some((path) => {
    const n = Number(readPath(a, path)?.value);
    return Number.isFinite(n) && n > 0;
  });
  if (!used) return undefined;
  const agentName = readPath(a, OPENAI_AGENTS_KEYS.turnAgent)?.value;
  return typeof agentName === "string" ? { agentName } : {};
}
