import type { FedToolResult, ModelApi } from "./exchange.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Text of a message content: a string, or the text of its parts joined. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === "string" ? p : isObject(p) && typeof p.text === "string" ? p.text : ""))
      .join("");
  }
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

/**
 * The tool results a request feeds back: Chat Completions `role: "tool"` messages
 * (`tool_call_id`, `content`), Responses `function_call_output` input items (`call_id`, `output`).
 */
export function toolResultsOf(api: ModelApi, body: Record<string, unknown>): FedToolResult[] {
  const out: FedToolResult[] = [];
  if (api === "chat") {
    for (const m of Array.isArray(body.messages) ? body.messages : []) {
      if (isObject(m) && m.role === "tool" && typeof m.tool_call_id === "string") {
        out.push({ callId: m.tool_call_id, output: contentText(m.content) });
      }
    }
  } else if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (isObject(item) && item.type === "function_call_output" && typeof item.call_id === "string") {
        out.push({ callId: item.call_id, output: contentText(item.output) });
      }
    }
  }
  return out;
}

/** Why a request body can't be answered, or undefined when it can. */
export function requestProblem(api: ModelApi, body: unknown): string | undefined {
  if (!isObject(body)) return "the request body must be a JSON object";
  if (api === "chat" && !Array.isArray(body.messages)) return "'messages' must be an array";
  if (api === "responses" && typeof body.input !== "string" && !Array.isArray(body.input)) {
    return "'input' must be a string or an array";
  }
  return undefined;
}

/** A rough token count (4 characters a token), so usage figures are plausible and deterministic. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return Math.max(1, Math.ceil(text.length / 4));
}
