// Chat Completions wire format (`POST /v1/chat/completions`), as the official `openai` client's
// ChatCompletionStream and the AI SDK's `openaiChatChunkSchema` read it.
import type { ServedToolCall } from "./exchange.js";

/** A model answer to put on the wire: text, tool calls, or both. */
export interface Reply {
  readonly text?: string | undefined;
  readonly toolCalls: readonly ServedToolCall[];
}

/** Identity and token counts of one answer. */
export interface ReplyMeta {
  readonly id: string;
  readonly model: string;
  /** Unix seconds. */
  readonly created: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Splits text into at most `parts` non-empty pieces, so streams carry real deltas. */
export function pieces(text: string, parts = 3): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function usage(meta: ReplyMeta) {
  return {
    prompt_tokens: meta.inputTokens,
    completion_tokens: meta.outputTokens,
    total_tokens: meta.inputTokens + meta.outputTokens,
  };
}

const finishReason = (reply: Reply) => (reply.toolCalls.length > 0 ? "tool_calls" : "stop");

/** A `chat.completion` object. */
export function chatCompletion(reply: Reply, meta: ReplyMeta) {
  const toolCalls = reply.toolCalls.map((c) => ({
    id: c.id,
    type: "function" as const,
    function: { name: c.name, arguments: JSON.stringify(c.arguments) },
  }));
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: reply.text ?? null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usage(meta),
  };
}

/**
 * The `chat.completion.chunk` objects of a streamed answer: the role, the text in pieces, each tool
 * call opened with its id and name and its arguments in pieces, the finish reason, then (when the
 * request asked with `stream_options.include_usage`) a usage chunk with no choices.
 */
export function chatChunks(reply: Reply, meta: ReplyMeta, includeUsage: boolean) {
  const base = { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const out: unknown[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of pieces(reply.text ?? "")) out.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    out.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of pieces(JSON.stringify(call.arguments))) {
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  out.push(chunk({}, finishReason(reply)));
  if (includeUsage) out.push({ ...base, choices: [], usage: usage(meta) });
  return out;
}

/** Server-sent events of a chat stream: one `data:` line per chunk, then `[DONE]`. */
export function chatSse(chunks: readonly unknown[]): string {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
}
