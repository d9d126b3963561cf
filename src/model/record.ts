import { z } from "zod";
import { AttributesSchema } from "./attributes.js";
import { CONVENTION_VALUES, LAYER_KIND_VALUES, STATUS_CODE_VALUES } from "./record-values.js";
import { UnixNanoSchema } from "./time.js";

/** The layer a record belongs to. */
export const LayerKindSchema = z.enum(LAYER_KIND_VALUES);
export type LayerKind = z.infer<typeof LayerKindSchema>;
export const LAYER_KINDS = LayerKindSchema.options;

/** The trace conventions trailcheck reads. */
export const ConventionSchema = z.enum(CONVENTION_VALUES);
export type Convention = z.infer<typeof ConventionSchema>;

export const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "32 lowercase hex digits");
export const SpanIdSchema = z.string().regex(/^[0-9a-f]{16}$/, "16 lowercase hex digits");

export const StatusSchema = z.object({
  code: z.enum(STATUS_CODE_VALUES),
  message: z.string().optional(),
  /** `error.type` or the exception type, where known. */
  errorType: z.string().optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const SpanEventSchema = z.object({
  name: z.string(),
  time: UnixNanoSchema,
  attributes: AttributesSchema.default({}),
});
export type SpanEvent = z.infer<typeof SpanEventSchema>;

/** Where a record came from, so errors and reports can point at the input. */
export const RecordSourceSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
});

/**
 * The canonical unit: one span (or span-like event) in trailcheck's own model. `kind` is the layer,
 * decided by the convention mappers; `stream` is set once the record has passed the pipeline.
 */
export const SpanRecordSchema = z.object({
  traceId: TraceIdSchema,
  spanId: SpanIdSchema,
  parentSpanId: SpanIdSchema.optional(),
  /** W3C `tracestate` as recorded on the span (OTLP `traceState`), when not empty. */
  traceState: z.string().optional(),
  name: z.string(),
  kind: LayerKindSchema,
  convention: ConventionSchema.default("unknown"),
  /** OTLP span kind (0 unspecified … 5 consumer), kept for filters that test it. */
  spanKind: z.number().int().min(0).max(5).default(0),
  start: UnixNanoSchema,
  end: UnixNanoSchema,
  status: StatusSchema.default({ code: "unset" }),
  attributes: AttributesSchema.default({}),
  events: z.array(SpanEventSchema).default([]),
  resource: AttributesSchema.default({}),
  scope: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  stream: z.string().optional(),
  source: RecordSourceSchema.optional(),
});
export type SpanRecord = z.infer<typeof SpanRecordSchema>;
