// Responses API wire format (`POST /v1/responses`), as the official `openai` client's
// ResponseStream accumulates it and the AI SDK's `openaiResponsesChunkSchema` reads it.
import { pieces, type Reply, type ReplyMeta } from "./chat-wire.js";

type OutputItem =
  | {
      type: "message";
      id: string;
      status: "in_progress" | "completed";
      role: "assistant";
      content: { type: "output_text"; text: string; annotations: never[]; logprobs: never[] }[];
    }
  | {
      type: "function_call";
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: "in_progress" | "completed";
    };

function outputItems(reply: Reply, meta: ReplyMeta): OutputItem[] {
  const items: OutputItem[] = [];
  if (reply.text !== undefined) {
    items.push({
      type: "message",
      id: `msg_${meta.id}`,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  reply.toolCalls.forEach((call, i) => {
    items.push({
      type: "function_call",
      id: `fc_${meta.id}_${i}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
      status: "completed",
    });
  });
  return items;
}

function responseObject(meta: ReplyMeta, status: "in_progress" | "completed", output: OutputItem[]) {
  const text = output.flatMap((o) => (o.type === "message" ? o.content.map((c) => c.text) : [])).join("");
  return {
    id: `resp_${meta.id}`,
    object: "response",
    created_at: meta.created,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    model: meta.model,
    output,
    output_text: text,
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    usage:
      status === "completed"
        ? {
            input_tokens: meta.inputTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: meta.outputTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: meta.inputTokens + meta.outputTokens,
          }
        : null,
  };
}

/** A `response` object (`stream: false`). */
export function responsesResponse(reply: Reply, meta: ReplyMeta) {
  return responseObject(meta, "completed", outputItems(reply, meta));
}

/**
 * The events of a streamed response: `response.created`, `response.in_progress`, then per output
 * item `response.output_item.added`, its content (`content_part.added`, `output_text.delta`…,
 * `output_text.done`, `content_part.done` for a message; `function_call_arguments.delta`…,
 * `function_call_arguments.done` for a call), `response.output_item.done`, and finally
 * `response.completed` with the whole response and its usage.
 */
export function responsesEvents(reply: Reply, meta: ReplyMeta): { type: string }[] {
  const items = outputItems(reply, meta);
  const events: { type: string; [key: string]: unknown }[] = [];
  const emit = (type: string, body: Record<string, unknown>) => events.push({ type, ...body });
  emit("response.created", { response: responseObject(meta, "in_progress", []) });
  emit("response.in_progress", { response: responseObject(meta, "in_progress", []) });
  items.forEach((item, output_index) => {
    const at = { item_id: item.id, output_index };
    if (item.type === "message") {
      emit("response.output_item.added", {
        output_index,
        item: { ...item, status: "in_progress", content: [] },
      });
      const text = item.content[0]!.text;
      const part = { type: "output_text", annotations: [], logprobs: [] };
      emit("response.content_part.added", { ...at, content_index: 0, part: { ...part, text: "" } });
      for (const delta of pieces(text)) {
        emit("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] });
      }
      emit("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] });
      emit("response.content_part.done", { ...at, content_index: 0, part: { ...part, text } });
    } else {
      emit("response.output_item.added", {
        output_index,
        item: { ...item, arguments: "", status: "in_progress" },
      });
      for (const delta of pieces(item.arguments)) {
        emit("response.function_call_arguments.delta", { ...at, delta });
      }
      emit("response.function_call_arguments.done", { ...at, name: item.name, arguments: item.arguments });
    }
    emit("response.output_item.done", { output_index, item });
  });
  emit("response.completed", { response: responseObject(meta, "completed", items) });
  return events.map((e, sequence_number) => ({ ...e, sequence_number }));
}

/** Server-sent events of a response stream: `event:` names the type, `data:` holds the event. */
export function responsesSse(events: readonly { type: string }[]): string {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
}
