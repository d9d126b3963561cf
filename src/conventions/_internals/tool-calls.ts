import type { RequestedToolCall } from "../../model/action.js";
import { argumentsText, isObject, MAX_DEPTH, prop } from "./values.js";

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function call(id: unknown, name: unknown, args: unknown): RequestedToolCall | undefined {
  const n = text(name);
  if (n === undefined) return undefined;
  const out: RequestedToolCall = { name: n };
  const i = text(id);
  if (i !== undefined) out.id = i;
  const a = argumentsText(args);
  if (a !== undefined) out.arguments = a;
  return out;
}

/**
 * Recognises one tool call in any of the shapes the conventions write:
 * GenAI message parts `{type:"tool_call", id, name, arguments}`, Responses API items
 * `{type:"function_call", call_id, name, arguments}`, Chat Completions `{id, function:{name, arguments}}`
 * (also OpenInference's rebuilt `tool_call` objects) and AI SDK `{toolCallId, toolName, input|args}`.
 */
function asToolCall(node: Record<string, unknown>): RequestedToolCall | undefined {
  const type = prop(node, "type");
  if (type === "tool_call") return call(prop(node, "id"), prop(node, "name"), prop(node, "arguments"));
  if (type === "function_call") {
    return call(prop(node, "call_id") ?? prop(node, "id"), prop(node, "name"), prop(node, "arguments"));
  }
  if (Object.hasOwn(node, "toolName")) {
    const args = Object.hasOwn(node, "input") ? prop(node, "input") : prop(node, "args");
    return call(prop(node, "toolCallId"), prop(node, "toolName"), args);
  }
  const fn = prop(node, "function");
  if (
    isObject(fn) &&
    Object.hasOwn(fn, "name") &&
    (Object.hasOwn(fn, "arguments") || Object.hasOwn(node, "id"))
  ) {
    return call(prop(node, "id"), prop(fn, "name"), prop(fn, "arguments"));
  }
  return undefined;
}

/** Every tool call found in a parsed output payload, in document order. */
export function extractToolCalls(value: unknown): RequestedToolCall[] {
  const found: RequestedToolCall[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const obj = node as Record<string, unknown>;
    const hit = asToolCall(obj);
    if (hit) {
      found.push(hit);
      return;
    }
    for (const key of Object.keys(obj)) walk(obj[key], depth + 1);
  };
  walk(value, 0);
  return found;
}

/**
 * Text every shape `asToolCall` recognises contains: a payload without any of them holds no tool call
 * (unless it spells them with `\u` escapes), and is not parsed.
 */
export const TOOL_CALL_MARKERS = ["tool_call", "function_call", "toolName", '"function"'] as const;

/** Cheap pre-check on JSON text before parsing a possibly large payload. */
export function mayHoldToolCalls(textValue: string): boolean {
  for (const marker of TOOL_CALL_MARKERS) if (textValue.includes(marker)) return true;
  return false;
}
