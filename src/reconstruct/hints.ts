import type { FactName } from "../model/action.js";
import type { Cause } from "../model/gap.js";

type HintContext = { fact: FactName; stream?: string; key?: string };

/** Hints made so far: cause, then fact, stream and key (undefined where not known). */
const made = new Map<Cause, Map<FactName, Map<string | undefined, Map<string | undefined, string>>>>();
let madeCount = 0;
/** Contexts come from the config (streams, attribute keys); this only bounds a pathological one. */
const MADE_LIMIT = 10_000;

/**
 * `fixHint`, made once per distinct context: a run that loses many facts the same way (a trace sampled
 * away, a stream's redaction) shares one hint string instead of building and printing a new one per fact.
 */
export function hintFor(cause: Cause, context: HintContext): string {
  if (madeCount >= MADE_LIMIT) {
    const hint = made.get(cause)?.get(context.fact)?.get(context.stream)?.get(context.key);
    return hint ?? fixHint(cause, context);
  }
  const byKey = inner(inner(inner(made, cause), context.fact), context.stream);
  let hint = byKey.get(context.key);
  if (hint === undefined) {
    hint = fixHint(cause, context);
    byKey.set(context.key, hint);
    madeCount++;
  }
  return hint;
}

/** The map under `key`, made empty if there is none yet. */
function inner<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let found = map.get(key);
  if (!found) {
    found = new Map();
    map.set(key, found);
  }
  return found;
}

/** A one-line fix for each cause, made concrete with what is known about the loss. */
export function fixHint(cause: Cause, context: HintContext): string {
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
