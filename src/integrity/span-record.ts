import type { HrTime, Attributes as OtelAttributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { classifyRecord } from "../conventions/classify.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";

/** HrTime [seconds, nanoseconds] to unix nanoseconds as an exact decimal string. */
export function hrTimeToNanos([seconds, nanos]: HrTime): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

/** OTel attribute values may hold `undefined` (and null inside arrays); canonical records never do. */
function attributes(input: OtelAttributes | undefined): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map((v) => (v === undefined ? null : v)) : value;
  }
  return out;
}

const STATUS = ["unset", "ok", "error"] as const;

/**
 * A finished SDK span in trailcheck's canonical record shape, so a sealed log reads like any other
 * trailcheck JSONL file. `kind` and `convention` come from the same classifier the engine uses.
 */
export function spanToRecord(span: ReadableSpan): SpanRecord {
  const ctx = span.spanContext();
  const attrs = attributes(span.attributes);
  const { kind, convention } = classifyRecord(attrs);
  const errorType = attrs["error.type"];
  const status = {
    code: STATUS[span.status.code] ?? "unset",
    ...(span.status.message ? { message: span.status.message } : {}),
    ...(typeof errorType === "string" ? { errorType } : {}),
  };
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind,
    convention,
    // OTLP numbers span kinds from 1 (internal); the API enum starts at 0.
    spanKind: span.kind + 1,
    start: hrTimeToNanos(span.startTime),
    end: hrTimeToNanos(span.endTime),
    status,
    attributes: attrs,
    events: span.events.map((e) => ({
      name: e.name,
      time: hrTimeToNanos(e.time),
      attributes: attributes(e.attributes),
    })),
    resource: attributes(span.resource.attributes),
    scope: {
      name: span.instrumentationScope.name,
      ...(span.instrumentationScope.version ? { version: span.instrumentationScope.version } : {}),
    },
  };
}
