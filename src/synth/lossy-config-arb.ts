import fc from "fast-check";
import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";

/** Attribute keys the conventions keep required facts in: what a careless processor deletes or hashes. */
const FACT_KEYS = [
  "ai.toolCall.args",
  "ai.toolCall.result",
  "ai.response.toolCalls",
  "ai.response.text",
  "ai.prompt.messages",
  "ai.model.id",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.output.messages",
  "gen_ai.input.messages",
  "gen_ai.request.model",
  "gen_ai.tool.name",
  "input.value",
  "output.value",
  "tool.name",
  "span_data.input",
  "span_data.output",
  "policy.decision",
  "policy.reason",
  "policy.subject",
  "policy.tool_call.id",
  "policy.tool.name",
];
const NAMES = [
  "^ai\\\\.toolCall$",
  "^execute_tool .*",
  "^chat .*",
  "^policy .*",
  "doGenerate$",
  "guardrail",
  "^handoff",
];

/** A processor of the kinds that lose data, with settings drawn from small lists. */
const processorArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    probabilistic_sampler: fc.record({
      sampling_percentage: fc.constantFrom(0, 30, 70, 100),
      hash_seed: fc.constant(7),
    }),
  }),
  fc
    .constantFrom(...NAMES)
    .map((n) => ({ filter: { error_mode: "ignore", traces: { span: [`IsMatch(name, "${n}")`] } } })),
  fc
    .subarray(FACT_KEYS, { minLength: 1, maxLength: 3 })
    .chain((keys) =>
      fc
        .constantFrom("delete", "hash")
        .map((action) => ({ attributes: { actions: keys.map((key) => ({ key, action })) } })),
    ),
  fc.record({
    redaction: fc.record({
      allow_all_keys: fc.constant(true),
      blocked_values: fc.constantFrom(["\\b\\d{16}\\b"], ["[a-z0-9.]+@[a-z0-9.]+"], ["order"], ["call_\\d+"]),
      summary: fc.constantFrom("debug", "silent"),
    }),
  }),
  fc.constantFrom(32, 200).map((n) => ({
    transform: {
      error_mode: "ignore",
      trace_statements: [{ context: "span", statements: [`truncate_all(attributes, ${n})`] }],
    },
  })),
);

/**
 * Logging configs that lose data in the ways the collector's processors do: one or two streams, each
 * taking some layers (or the rest, so a layer may match none: routing), with up to three processors
 * from samplers, filters by span name, attribute deletes and hashes of the conventions' fact keys,
 * redaction masks, and truncation. Profile `reconstructable` or `eu-ai-act`.
 */
export const lossyConfigArb: fc.Arbitrary<LoggingConfig> = fc
  .array(
    fc.record({
      match: fc.oneof(
        fc.constant({ default: true }),
        fc
          .subarray(["agent", "llm", "tool", "policy", "handoff", "other"], { minLength: 1 })
          .map((kind) => ({ kind })),
      ),
      processors: fc.array(processorArb, { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .chain((streams) =>
    fc.constantFrom("reconstructable", "eu-ai-act").map((compliance) =>
      LoggingConfigSchema.parse({
        streams: streams.map((s, i) => ({ name: `s${i}`, ...s, retention: "400d" })),
        compliance,
      }),
    ),
  );
