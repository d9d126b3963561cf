import { z } from "zod";
import { AttributeValueSchema } from "./attributes.js";
import { ConventionSchema, LayerKindSchema } from "./record.js";

/** What an auditor cares about, derived from records. A failure is an action's status, not an action. */
export const ActionKindSchema = LayerKindSchema;
export type ActionKind = z.infer<typeof ActionKindSchema>;

/**
 * The facts trailcheck decides reconstructability on. Each action kind uses a subset (see
 * `FACTS_BY_KIND`); `record` stands for the action's own record and `parent` for its link to the run.
 */
export const FactNameSchema = z.enum([
  "record",
  "parent",
  "traceId",
  "name",
  "status",
  "error",
  "model",
  "input",
  "output",
  "toolCalls",
  "callId",
  "arguments",
  "result",
  "decision",
  "reason",
  "subject",
  "from",
  "to",
  "integrity",
]);
export type FactName = z.infer<typeof FactNameSchema>;

export const FACTS_BY_KIND: Record<ActionKind, readonly FactName[]> = {
  agent: ["record", "parent", "traceId", "name", "status", "input", "output"],
  llm: ["record", "parent", "traceId", "model", "status", "input", "output", "toolCalls"],
  tool: ["record", "parent", "traceId", "name", "status", "callId", "arguments", "result"],
  policy: ["record", "parent", "traceId", "name", "decision", "reason", "subject"],
  handoff: ["record", "parent", "traceId", "from", "to"],
  other: ["record", "parent", "traceId"],
};

/** A tool call as a model asked for it. */
export const RequestedToolCallSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  arguments: z.string().optional(),
});
export type RequestedToolCall = z.infer<typeof RequestedToolCallSchema>;

/**
 * An action and the facts found for it. A fact that is absent from `facts` was not found; the
 * value is the text or JSON the record held.
 */
export const ActionSchema = z.object({
  /**
   * Stable identity within a run: the span id (`<span id>~<n>` for the n-th of different records that
   * share one), or `<kind>:<call id>` for an action with no record.
   */
  id: z.string(),
  kind: ActionKindSchema,
  name: z.string(),
  traceId: z.string(),
  spanId: z.string().optional(),
  parentSpanId: z.string().optional(),
  convention: ConventionSchema,
  /** False when the action is known only indirectly (a model asked for a tool that left no record). */
  hasRecord: z.boolean(),
  failed: z.boolean(),
  facts: z.partialRecord(FactNameSchema, AttributeValueSchema),
  /** For llm actions: the tool calls the model asked for. */
  requestedToolCalls: z.array(RequestedToolCallSchema).default([]),
  /** For tool actions known only from a model request: the llm action that asked. */
  requestedBy: z.string().optional(),
  /** For policy actions: the decision blocked the governed call. */
  blocks: z.boolean().default(false),
  /** The attribute keys each fact was read from, so losses can be traced back to processors. */
  sources: z.partialRecord(FactNameSchema, z.string()).default({}),
});
export type Action = z.infer<typeof ActionSchema>;
