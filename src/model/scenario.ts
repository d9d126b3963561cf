import { z } from "zod";

/** One tool call the scripted model asks for. Without an `id`, the mock assigns `call_<turn>_<n>`. */
export const ScriptedToolCallSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});
export type ScriptedToolCall = z.infer<typeof ScriptedToolCallSchema>;

export const TextTurnSchema = z.strictObject({ text: z.string() });
export const ToolCallsTurnSchema = z.strictObject({
  toolCalls: z.array(ScriptedToolCallSchema).min(1),
  /** Text the model says alongside its tool calls (Chat Completions `content`). */
  text: z.string().optional(),
});
/**
 * A scripted API failure, answered with an OpenAI-style error body. `retryAfterMs` is sent as the
 * `retry-after-ms` header (the real API sends it on rate limits); clients that honour it retry at
 * once instead of backing off for seconds, which keeps replays fast and deterministic.
 */
export const ErrorTurnSchema = z.strictObject({
  error: z.strictObject({
    status: z.union([z.literal(429), z.literal(500)]),
    message: z.string().min(1),
    retryAfterMs: z.number().int().min(0).default(0),
  }),
});

/** What the model answers to one request, in order. */
export const TurnSchema = z.union([TextTurnSchema, ToolCallsTurnSchema, ErrorTurnSchema]);
export type Turn = z.infer<typeof TurnSchema>;

/**
 * A replay scenario: the user's input, the model's scripted turns and any tool fixtures the agent
 * may read (through `TRAILCHECK_SCENARIO`). trailcheck itself does not interpret `tools`.
 */
export const ScenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input: z.string(),
  turns: z.array(TurnSchema).min(1),
  tools: z.record(z.string(), z.unknown()).optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export function isErrorTurn(turn: Turn): turn is z.infer<typeof ErrorTurnSchema> {
  return "error" in turn;
}
export function isToolCallsTurn(turn: Turn): turn is z.infer<typeof ToolCallsTurnSchema> {
  return "toolCalls" in turn;
}
