import { classifyRecord } from "../conventions/classify.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanEvent, SpanRecord, Status } from "../model/record.js";
import { attributesFromOtlp, FieldError, otlpId, prefixed, typeName, unixNanos } from "./otlp-values.js";
import { badTrace, type IngestSource, isPlainObject } from "./source.js";

export interface OtlpReadOptions {
  /** Keep only the spans of this trace (32 lowercase hex digits); others are skipped unconverted. */
  readonly traceId?: string;
}

const SPAN_KINDS = [
  "SPAN_KIND_UNSPECIFIED",
  "SPAN_KIND_INTERNAL",
  "SPAN_KIND_SERVER",
  "SPAN_KIND_CLIENT",
  "SPAN_KIND_PRODUCER",
  "SPAN_KIND_CONSUMER",
] as const;
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] as const;
const STATUS_NAMES = ["unset", "ok", "error"] as const;

/**
 * Converts one OTLP/JSON `ExportTraceServiceRequest` body into records. Pure: the OTLP/HTTP receiver
 * and the file readers share it. Invalid data throws an `InputError` naming the file, the line and
 * the field path (`resourceSpans[0].scopeSpans[1].spans[3].traceId`); unknown fields are ignored.
 */
export function recordsFromOtlpJson(
  body: unknown,
  source?: IngestSource,
  options: OtlpReadOptions = {},
): SpanRecord[] {
  const out: SpanRecord[] = [];
  if (!isPlainObject(body)) {
    throw badTrace(source, "", `expected an OTLP ExportTraceServiceRequest object, got ${typeName(body)}`);
  }
  const recordSource =
    source && (source.file !== undefined || source.line !== undefined) ? source : undefined;
  const resourceSpans = arrayField(body.resourceSpans, "resourceSpans", source);
  for (let i = 0; i < resourceSpans.length; i++) {
    const rs = resourceSpans[i];
    const at = `resourceSpans[${i}]`;
    if (!isPlainObject(rs)) throw badTrace(source, at, `expected an object, got ${typeName(rs)}`);
    const resource = resourceAttributes(rs.resource, source, at);
    const scopeSpans = arrayField(rs.scopeSpans, `${at}.scopeSpans`, source);
    for (let j = 0; j < scopeSpans.length; j++) {
      const ss = scopeSpans[j];
      const atScope = `${at}.scopeSpans[${j}]`;
      if (!isPlainObject(ss)) throw badTrace(source, atScope, `expected an object, got ${typeName(ss)}`);
      const scope = scopeOf(ss.scope, source, atScope);
      const spans = arrayField(ss.spans, `${atScope}.spans`, source);
      for (let k = 0; k < spans.length; k++) {
        try {
          const record = spanRecord(spans[k], resource, scope, recordSource, options.traceId);
          if (record) out.push(record);
        } catch (err) {
          if (err instanceof FieldError)
            throw badTrace(source, fieldPath(`${atScope}.spans[${k}]`, err), err.message);
          throw err;
        }
      }
    }
  }
  return out;
}

/**
 * Converts one OTLP span with its resource attributes and scope; `undefined` when `traceId` filters
 * it out. Throws `FieldError` with a path relative to the span.
 */
export function spanRecord(
  span: unknown,
  resource: Attributes,
  scope: SpanRecord["scope"],
  source: IngestSource | undefined,
  traceFilter?: string,
): SpanRecord | undefined {
  if (!isPlainObject(span)) throw new FieldError("", `expected a span object, got ${typeName(span)}`);
  const traceId = otlpId(span.traceId, 16, "traceId");
  if (traceFilter !== undefined && traceId !== traceFilter) return undefined;
  const spanId = otlpId(span.spanId, 8, "spanId");
  const parent = span.parentSpanId;
  const parentSpanId =
    parent === undefined || parent === null || parent === "" ? undefined : otlpId(parent, 8, "parentSpanId");
  const name = span.name ?? "";
  if (typeof name !== "string") throw new FieldError("name", `expected a string, got ${typeName(name)}`);
  const spanKind = enumValue(span.kind, SPAN_KINDS, "kind");
  const start = unixNanos(span.startTimeUnixNano, "startTimeUnixNano");
  const end = unixNanos(span.endTimeUnixNano, "endTimeUnixNano");
  const attributes = attributesFromOtlp(span.attributes, "attributes");
  const events = eventsOf(span.events);
  const status = statusOf(span.status, attributes, events);
  const { kind, convention } = classifyRecord(attributes);
  const record: SpanRecord = {
    traceId,
    spanId,
    name,
    kind,
    convention,
    spanKind,
    start,
    end,
    status,
    attributes,
    events,
    // Shared by every span of the batch: records are never mutated (the pipeline copies on write).
    resource,
  };
  if (parentSpanId !== undefined) record.parentSpanId = parentSpanId;
  if (typeof span.traceState === "string" && span.traceState !== "") record.traceState = span.traceState;
  if (scope) record.scope = scope;
  if (source) record.source = source;
  return record;
}

/** The attributes of an OTLP `Resource` (absent means none). */
export function resourceAttributes(
  resource: unknown,
  source: IngestSource | undefined,
  at: string,
): Attributes {
  if (resource === undefined || resource === null) return {};
  if (!isPlainObject(resource))
    throw badTrace(source, `${at}.resource`, `expected an object, got ${typeName(resource)}`);
  try {
    return attributesFromOtlp(resource.attributes, "attributes");
  } catch (err) {
    if (err instanceof FieldError) throw badTrace(source, fieldPath(`${at}.resource`, err), err.message);
    throw err;
  }
}

/** An OTLP `InstrumentationScope` as `{name, version}`; absent means none. */
export function scopeOf(scope: unknown, source: IngestSource | undefined, at: string): SpanRecord["scope"] {
  if (scope === undefined || scope === null) return undefined;
  if (!isPlainObject(scope))
    throw badTrace(source, `${at}.scope`, `expected an object, got ${typeName(scope)}`);
  const name = scope.name ?? "";
  const version = scope.version;
  if (typeof name !== "string")
    throw badTrace(source, `${at}.scope.name`, `expected a string, got ${typeName(name)}`);
  if (version === undefined || version === null || version === "") return { name };
  if (typeof version !== "string") {
    throw badTrace(source, `${at}.scope.version`, `expected a string, got ${typeName(version)}`);
  }
  return { name, version };
}

function arrayField(value: unknown, field: string, source: IngestSource | undefined): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badTrace(source, field, `expected an array, got ${typeName(value)}`);
  return value;
}

export function fieldPath(prefix: string, err: FieldError): string {
  return err.field ? `${prefix}.${err.field}` : prefix;
}

/** An enum as its integer; the proto enum names (`SPAN_KIND_CLIENT`) are accepted too. */
function enumValue(value: unknown, names: readonly string[], field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < names.length)
    return value;
  if (typeof value === "string") {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  }
  throw new FieldError(
    field,
    `expected 0–${names.length - 1} or one of ${names.join(", ")}, got ${typeName(value)}`,
  );
}

function eventsOf(list: unknown): SpanEvent[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new FieldError("events", `expected an array, got ${typeName(list)}`);
  const out: SpanEvent[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const event = list[i];
    try {
      if (!isPlainObject(event)) throw new FieldError("", `expected an event object, got ${typeName(event)}`);
      const name = event.name ?? "";
      if (typeof name !== "string") throw new FieldError("name", `expected a string, got ${typeName(name)}`);
      const time = unixNanos(event.timeUnixNano, "timeUnixNano");
      out[i] = { name, time, attributes: attributesFromOtlp(event.attributes, "attributes") };
    } catch (err) {
      throw prefixed(err, `events[${i}]`);
    }
  }
  return out;
}

/**
 * The status, with the error type from `error.type` or an `exception` event's `exception.type`, and
 * the exception message when an error status carries none of its own.
 */
function statusOf(value: unknown, attributes: Attributes, events: readonly SpanEvent[]): Status {
  let code = 0;
  let message: string | undefined;
  if (value !== undefined && value !== null) {
    if (!isPlainObject(value)) throw new FieldError("status", `expected an object, got ${typeName(value)}`);
    code = enumValue(value.code, STATUS_CODES, "status.code");
    if (value.message !== undefined && value.message !== null && value.message !== "") {
      if (typeof value.message !== "string") {
        throw new FieldError("status.message", `expected a string, got ${typeName(value.message)}`);
      }
      message = value.message;
    }
  }
  const status: Status = { code: STATUS_NAMES[code]! };
  let errorType = attributes["error.type"];
  let exceptionMessage: unknown;
  for (const event of events) {
    if (event.name !== "exception") continue;
    errorType ??= event.attributes["exception.type"];
    exceptionMessage ??= event.attributes["exception.message"];
  }
  if (message === undefined && code === 2 && typeof exceptionMessage === "string") message = exceptionMessage;
  if (message !== undefined) status.message = message;
  if (typeof errorType === "string" && errorType !== "") status.errorType = errorType;
  return status;
}
