import { z } from "zod";

/**
 * Processor settings, named and shaped as the OpenTelemetry Collector's own (collector-contrib READMEs).
 * Unknown fields are kept (`looseObject`) so that a real collector config validates; the pipeline reports
 * settings it does not model instead of rejecting them.
 */
export const ProbabilisticSamplerSchema = z.looseObject({
  sampling_percentage: z.number().min(0),
  mode: z.enum(["hash_seed", "proportional", "equalizing"]).optional(),
  hash_seed: z.number().int().min(0).max(0xffffffff).optional(),
  sampling_precision: z.number().int().min(1).max(14).optional(),
  fail_closed: z.boolean().optional(),
  attribute_source: z.enum(["traceID", "record"]).optional(),
  from_attribute: z.string().optional(),
  sampling_priority: z.string().optional(),
});

const TailPolicyBase = { name: z.string() };

export type TailSamplingPolicy = { name: string; type: string; [key: string]: unknown };

export const TailSamplingPolicySchema: z.ZodType<TailSamplingPolicy> = z.lazy(() =>
  z.looseObject({
    ...TailPolicyBase,
    type: z.enum([
      "always_sample",
      "latency",
      "numeric_attribute",
      "probabilistic",
      "status_code",
      "string_attribute",
      "boolean_attribute",
      "rate_limiting",
      "span_count",
      "trace_state",
      "ottl_condition",
      "and",
      "drop",
      "composite",
      "not",
      "bytes_limiting",
      "trace_flags",
    ]),
  }),
);

/**
 * The settings of each tail_sampling policy type's block (tailsamplingprocessor config.go). The
 * collector refuses a key it does not know, so one trailcheck does not know comes from a newer
 * collector (as `burst_capacity` of rate_limiting did) and is reported, never silently ignored.
 */
export const TAIL_POLICY_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  latency: ["threshold_ms", "upper_threshold_ms"],
  numeric_attribute: ["key", "min_value", "max_value", "invert_match"],
  probabilistic: ["hash_salt", "sampling_percentage"],
  status_code: ["status_codes"],
  string_attribute: ["key", "values", "enabled_regex_matching", "cache_max_size", "invert_match"],
  boolean_attribute: ["key", "value", "invert_match"],
  rate_limiting: ["spans_per_second", "burst_capacity"],
  bytes_limiting: ["bytes_per_second", "burst_capacity"],
  span_count: ["min_spans", "max_spans"],
  trace_state: ["key", "values"],
  ottl_condition: ["error_mode", "span", "spanevent"],
  and: ["and_sub_policy"],
  drop: ["drop_sub_policy"],
  not: ["not_sub_policy"],
  composite: ["max_total_spans_per_second", "policy_order", "composite_sub_policy", "rate_allocation"],
};

export const TailSamplingSchema = z.looseObject({
  decision_wait: z.string().optional(),
  num_traces: z.number().int().positive().optional(),
  expected_new_traces_per_sec: z.number().optional(),
  policies: z.array(TailSamplingPolicySchema).default([]),
});

export const RedactionSchema = z.looseObject({
  allow_all_keys: z.boolean().default(false),
  allowed_keys: z.array(z.string()).default([]),
  ignored_keys: z.array(z.string()).default([]),
  ignored_key_patterns: z.array(z.string()).optional(),
  redact_all_types: z.boolean().optional(),
  blocked_key_patterns: z.array(z.string()).default([]),
  blocked_values: z.array(z.string()).default([]),
  allowed_values: z.array(z.string()).default([]),
  hash_function: z.enum(["md5", "sha1", "sha3", "hmac-sha256", "hmac-sha512", "sha256"]).optional(),
  hmac_key: z.string().optional(),
  summary: z.enum(["debug", "info", "silent"]).default("debug"),
});

const AttributeMatchSchema = z.looseObject({
  match_type: z.enum(["strict", "regexp"]).default("strict"),
  span_names: z.array(z.string()).optional(),
  services: z.array(z.string()).optional(),
  attributes: z.array(z.looseObject({ key: z.string(), value: z.unknown().optional() })).optional(),
  span_kinds: z.array(z.string()).optional(),
});

export const AttributesProcessorSchema = z.looseObject({
  actions: z.array(
    z.looseObject({
      key: z.string().optional(),
      pattern: z.string().optional(),
      action: z.enum(["insert", "update", "upsert", "delete", "hash", "extract", "convert"]),
      value: z.unknown().optional(),
      from_attribute: z.string().optional(),
      from_context: z.string().optional(),
      converted_type: z.string().optional(),
    }),
  ),
  include: AttributeMatchSchema.optional(),
  exclude: AttributeMatchSchema.optional(),
});

export const FilterSchema = z.looseObject({
  error_mode: z.enum(["propagate", "ignore", "silent"]).optional(),
  traces: z
    .looseObject({
      span: z.array(z.string()).optional(),
      spanevent: z.array(z.string()).optional(),
    })
    .optional(),
  trace_conditions: z.array(z.unknown()).optional(),
});

const TransformStatementsSchema = z.union([
  z.string(),
  z.looseObject({
    context: z.string().optional(),
    conditions: z.array(z.string()).optional(),
    statements: z.array(z.string()),
  }),
]);

export const TransformSchema = z.looseObject({
  error_mode: z.enum(["propagate", "ignore", "silent"]).optional(),
  trace_statements: z.array(TransformStatementsSchema).default([]),
});

export const MemoryLimiterSchema = z.looseObject({
  check_interval: z.string().optional(),
  limit_mib: z.number().optional(),
  spike_limit_mib: z.number().optional(),
  limit_percentage: z.number().optional(),
  spike_limit_percentage: z.number().optional(),
});

export const BatchSchema = z.looseObject({
  timeout: z.string().optional(),
  send_batch_size: z.number().optional(),
  send_batch_max_size: z.number().optional(),
});

/** One processor entry: a single-key map, `{ probabilistic_sampler: {...} }`. */
export const ProcessorSchema = z.union([
  z.strictObject({ probabilistic_sampler: ProbabilisticSamplerSchema }),
  z.strictObject({ tail_sampling: TailSamplingSchema }),
  z.strictObject({ redaction: RedactionSchema }),
  z.strictObject({ attributes: AttributesProcessorSchema }),
  z.strictObject({ filter: FilterSchema }),
  z.strictObject({ transform: TransformSchema }),
  z.strictObject({ memory_limiter: MemoryLimiterSchema }),
  z.strictObject({ batch: BatchSchema }),
]);
export type Processor = z.infer<typeof ProcessorSchema>;

export const PROCESSOR_NAMES = [
  "probabilistic_sampler",
  "tail_sampling",
  "redaction",
  "attributes",
  "filter",
  "transform",
  "memory_limiter",
  "batch",
] as const;
export type ProcessorName = (typeof PROCESSOR_NAMES)[number];

/** The name of a processor entry (`probabilistic_sampler`, …). */
export function processorName(p: Processor): ProcessorName {
  return Object.keys(p)[0] as ProcessorName;
}
