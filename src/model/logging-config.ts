import { z } from "zod";
import { AttributeValueSchema } from "./attributes.js";
import { DurationSchema } from "./duration.js";
import { ProcessorSchema } from "./processors.js";
import { ProfileInputSchema } from "./profile.js";
import { LayerKindSchema } from "./record.js";

/** Linkage fields a store can keep. Without `traceId` a record can't be joined to its run. */
export const CorrelationFieldSchema = z.enum(["traceId", "spanId", "parentSpanId"]);
export type CorrelationField = z.infer<typeof CorrelationFieldSchema>;

export const IntegritySchema = z.enum(["none", "hash-chain", "merkle-checkpoints"]);
export type Integrity = z.infer<typeof IntegritySchema>;

/** Which records enter a stream. All given criteria must hold; a record may enter several streams. */
export const StreamMatchSchema = z.strictObject({
  kind: z.array(LayerKindSchema).optional(),
  /** Attribute equality: `{ "gen_ai.operation.name": chat }` or a list of accepted values. */
  attributes: z.record(z.string(), z.union([AttributeValueSchema, z.array(AttributeValueSchema)])).optional(),
  /** A regular expression on the span name. */
  name: z.string().optional(),
  /** Receives every record that entered no other stream (the routing connector's default pipeline). */
  default: z.boolean().optional(),
  /**
   * An OTTL condition in the span context (`attributes["gen_ai.operation.name"] != nil`), for what the
   * other criteria can't say; a routing connector's table imported from a collector config lands here.
   */
  ottl: z.string().optional(),
});

export const StreamSchema = z.strictObject({
  name: z.string().min(1),
  match: StreamMatchSchema.default({}),
  processors: z.array(ProcessorSchema).default([]),
  /** How long the store keeps records (`30d`, `6mo`, `1y`, `forever`). */
  retention: DurationSchema.default("forever"),
  /** How long records stay immediately available (hot) before moving to archive; defaults to retention. */
  available: DurationSchema.optional(),
  correlation: z.array(CorrelationFieldSchema).default(["traceId", "spanId", "parentSpanId"]),
  integrity: IntegritySchema.default("none"),
  /** A backend cap on attribute value length (characters); longer values are cut. */
  max_value_length: z.number().int().positive().optional(),
});
export type Stream = z.infer<typeof StreamSchema>;

/**
 * The agent-side SDK export settings (BatchSpanProcessor and span limits), where facts are lost
 * before any collector sees them.
 */
export const SdkExportSchema = z.strictObject({
  /** `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`: longer string values are truncated by the SDK. */
  attribute_value_length_limit: z.number().int().positive().optional(),
  /** `OTEL_BSP_MAX_QUEUE_SIZE` (2048): spans ending while the queue is full are dropped. */
  max_queue_size: z.number().int().positive().default(2048),
  /** `OTEL_BSP_SCHEDULE_DELAY` (5s): how often the queue is drained. */
  schedule_delay: DurationSchema.default("5s"),
  /** `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` (512): spans exported per drain. */
  max_export_batch_size: z.number().int().positive().default(512),
  /** Whether the agent flushes (`forceFlush`/`shutdown`) before it exits; if not, the last spans are lost. */
  flush_on_exit: z.boolean().default(true),
});
export type SdkExport = z.infer<typeof SdkExportSchema>;

export const LoggingConfigSchema = z.strictObject({
  sdk: SdkExportSchema.optional(),
  streams: z.array(StreamSchema).min(1, "a logging config needs at least one stream"),
  /** A built-in profile name, a path to a profile file, or an inline profile. */
  compliance: z.union([z.string(), ProfileInputSchema]).optional(),
  /**
   * The collector's `--feature-gates` that change what a processor does (`id`/`+id` on, `-id` off), e.g.
   * `-processor.tailsamplingprocessor.disableinvertdecisions` for a collector before v0.144.
   */
  feature_gates: z.array(z.string()).optional(),
});
export type LoggingConfig = z.infer<typeof LoggingConfigSchema>;
