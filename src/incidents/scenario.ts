import type { Action } from "../model/action.js";
import { attributeText } from "../model/attributes.js";
import type { ModelTurn, Scenario } from "./schema.js";

type Json = unknown;

function parse(text: string | undefined): Json {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The text of a message's content in any of the shapes the conventions record. */
function contentText(content: Json): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content
    .map((p) => {
      if (typeof p === "string") return p;
      if (p && typeof p === "object" && (p as { type?: string }).type === "text") {
        const part = p as { text?: unknown; content?: unknown };
        return typeof part.text === "string"
          ? part.text
          : typeof part.content === "string"
            ? part.content
            : "";
      }
      return "";
    })
    .filter((s) => s !== "");
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/** The messages of an LLM input or output: an array, or a request body `{messages}`. */
function messages(value: Json): { role?: string; content?: Json; parts?: Json }[] {
  if (Array.isArray(value)) return value.filter((m) => m && typeof m === "object");
  if (value && typeof value === "object" && Array.isArray((value as { messages?: Json }).messages)) {
    return messages((value as { messages: Json }).messages);
  }
  return [];
}

/** The last user message of the first model call: what the user asked. */
function userInput(llm: Action): string | undefined {
  const input = parse(attributeText(llm.facts.input));
  const users = messages(input).filter((m) => m.role === "user");
  const last = users.at(-1);
  if (last) return contentText(last.content ?? last.parts);
  return typeof input === "string" ? input : undefined;
}

/** What the model answered in text. */
function answerText(llm: Action): string {
  const output = parse(attributeText(llm.facts.output));
  if (typeof output === "string") return output;
  const texts = messages(output)
    .filter((m) => m.role === undefined || m.role === "assistant")
    .map((m) => contentText(m.content ?? m.parts))
    .filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join("\n") : (attributeText(llm.facts.output) ?? "");
}

/**
 * The replay scenario of a recorded run: the user's input and one scripted turn per model
 * call, in run order — the tool calls it asked for, or its text. Undefined when the recording has no
 * model call records (an Agents SDK run with a custom model, say).
 */
export function deriveScenario(actions: readonly Action[]): Scenario | undefined {
  const llms = actions.filter((a) => a.kind === "llm" && a.hasRecord);
  if (llms.length === 0) return undefined;
  const turns: ModelTurn[] = llms.map((llm) =>
    llm.requestedToolCalls.length > 0
      ? {
          toolCalls: llm.requestedToolCalls.map((c) => ({
            ...(c.id !== undefined ? { id: c.id } : {}),
            name: c.name,
            arguments: c.arguments ?? "{}",
          })),
        }
      : { text: answerText(llm) },
  );
  return { input: userInput(llms[0]!) ?? "", turns };
}
