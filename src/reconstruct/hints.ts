import type { FactName } from "../model/action.js";
import type { Cause } from "../model/gap.js";

/** A one-line fix for each cause, made concrete with what is known about the loss. */
export function fixHint(cause: Cause, context: { fact: FactName; stream?: string; key?: string }): string {
  const stream = context.stream ? `stream '${context.stream}'` : "the stream";
  switch (cause) {
    case "instrumentation":
      return context.fact === "record"
        ? "instrument this call: every model call and tool call the model asks for must emit its own span (or a policy decision that blocks it)"
        : `record ${context.fact} at the source: enable content capture (AI SDK recordInputs/recordOutputs, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, Agents SDK traceIncludeSensitiveData)`;
    case "export":
      return context.fact === "parent"
        ? "the parent span never arrived: end every span and flush the tracer provider (await provider.shutdown()) before the process exits"
        : "flush before exit (await provider.shutdown()) and size the BatchSpanProcessor queue (OTEL_BSP_MAX_QUEUE_SIZE) for bursts";
    case "routing":
      return "add a stream with `default: true` (the routing connector's default_pipelines) so no record is dropped unrouted";
    case "sampling":
      return `exempt failed runs and policy decisions from sampling in ${stream}: a tail_sampling status_code ERROR policy plus a policy for policy spans, or sample 100% of action streams`;
    case "filter":
      return `narrow the filter in ${stream} so it never drops agent, LLM, tool or policy spans; a dropped parent orphans its children`;
    case "redaction":
      return context.key
        ? `allow '${context.key}' in ${stream} (or hash it with hash_function instead of deleting or masking it)`
        : `allow the key holding ${context.fact} in ${stream}, or hash it instead of deleting it`;
    case "truncation":
      return `raise the value length limit${context.key ? ` for '${context.key}'` : ""} (SDK attribute_value_length_limit, transform truncate_all, backend max_value_length) or store large payloads by reference`;
    case "correlation":
      return `keep traceId, spanId and parentSpanId in ${stream} so its records join the run`;
    case "retention":
      return `raise retention of ${stream} to at least what the compliance profile requires`;
    case "integrity":
      return `set integrity: merkle-checkpoints for ${stream} and keep signed checkpoints outside the store`;
  }
}
