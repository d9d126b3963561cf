import { spanRecord } from "../../ingest/otlp-json.js";
import { FieldError } from "../../ingest/otlp-values.js";
import { setOwn } from "../../ingest/source.js";
import type { Attributes, AttributeValue } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import { NS_PER_MS } from "../../model/time.js";

/**
 * The ClickHouse exporter's rows (`exporter_traces.go`, the `otel_traces` columns): one per span,
 * `Timestamp` its start and `Duration` its length in nanoseconds, enums by their pdata names, every
 * attribute value as text (`pcommon.Value.AsString`).
 */
export interface ExporterRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  "Events.Timestamp": string[];
  "Events.Name": string[];
  "Events.Attributes": Record<string, string>[];
  "Links.TraceId": string[];
  "Links.SpanId": string[];
  "Links.TraceState": string[];
  "Links.Attributes": Record<string, string>[];
}

/** `ptrace.SpanKind.String()` and `ptrace.StatusCode.String()`, by OTLP enum value. */
const SPAN_KINDS = ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"] as const;
const STATUS_CODES = { unset: "Unset", ok: "Ok", error: "Error" } as const;

/** A value as `pcommon.Value.AsString` writes it: text as is, other scalars as written, lists and maps as JSON. */
export function valueText(value: AttributeValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function texts(attributes: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) setOwn(out, k, valueText(v));
  return out;
}

/** Unix nanoseconds as an ISO 8601 time with all nine digits (parsed with `date_time_input_format=best_effort`). */
export function isoNanos(ns: string): string {
  const n = BigInt(ns);
  const ms = n / NS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 19)}.${String(n % 1_000_000_000n).padStart(9, "0")}Z`;
}

/** The row the exporter writes for a record. */
export function exporterRow(r: SpanRecord): ExporterRow {
  const service = Object.hasOwn(r.resource, "service.name") ? r.resource["service.name"] : undefined;
  const duration = BigInt(r.end) - BigInt(r.start);
  return {
    Timestamp: isoNanos(r.start),
    TraceId: r.traceId,
    SpanId: r.spanId,
    ParentSpanId: r.parentSpanId ?? "",
    TraceState: r.traceState ?? "",
    SpanName: r.name,
    SpanKind: SPAN_KINDS[r.spanKind] ?? "Unspecified",
    ServiceName: service === undefined ? "" : valueText(service),
    ResourceAttributes: texts(r.resource),
    ScopeName: r.scope?.name ?? "",
    ScopeVersion: r.scope?.version ?? "",
    SpanAttributes: texts(r.attributes),
    Duration: String(duration < 0n ? 0n : duration),
    StatusCode: STATUS_CODES[r.status.code],
    StatusMessage: r.status.message ?? "",
    "Events.Timestamp": r.events.map((e) => isoNanos(e.time)),
    "Events.Name": r.events.map((e) => e.name),
    "Events.Attributes": r.events.map((e) => texts(e.attributes)),
    "Links.TraceId": [],
    "Links.SpanId": [],
    "Links.TraceState": [],
    "Links.Attributes": [],
  };
}

/** The columns a stored span is read back with (times as unix nanoseconds, so no timezone is involved). */
export const READ_COLUMNS = `TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes,
  toString(toUnixTimestamp64Nano(Timestamp)) AS start,
  toString(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) AS end,
  StatusCode, StatusMessage,
  arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimes,
  Events.Name AS eventNames, Events.Attributes AS eventAttributes`;

/** A row as `READ_COLUMNS` reads it. */
export interface StoredRow {
  readonly TraceId: string;
  readonly SpanId: string;
  readonly ParentSpanId: string;
  readonly TraceState: string;
  readonly SpanName: string;
  readonly SpanKind: string;
  readonly ResourceAttributes: Record<string, string>;
  readonly ScopeName: string;
  readonly ScopeVersion: string;
  readonly SpanAttributes: Record<string, string>;
  readonly start: string;
  readonly end: string;
  readonly StatusCode: string;
  readonly StatusMessage: string;
  readonly eventTimes: readonly string[];
  readonly eventNames: readonly string[];
  readonly eventAttributes: readonly Record<string, string>[];
}

const keyValues = (map: Record<string, string>) =>
  Object.entries(map).map(([key, value]) => ({ key, value: { stringValue: value } }));

/** Older exporters wrote the proto enum names (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`). */
function enumIndex(text: string, names: readonly string[], prefix: string): number {
  const i = names.indexOf(text);
  if (i >= 0) return i;
  const j = names.findIndex((n) => `${prefix}${n.toUpperCase()}` === text);
  return Math.max(j, 0);
}

/**
 * A stored row as the record an OTLP reader would have made of the exporter's input: the same
 * conversion (`spanRecord`), so classification and status are decided the same way as for files.
 * Throws `FieldError` for ids that are not ids.
 */
export function recordOfRow(row: StoredRow): SpanRecord {
  const resource: Attributes = {};
  for (const [k, v] of Object.entries(row.ResourceAttributes)) setOwn(resource, k, v);
  const scope =
    row.ScopeName === "" && row.ScopeVersion === ""
      ? undefined
      : { name: row.ScopeName, ...(row.ScopeVersion ? { version: row.ScopeVersion } : {}) };
  const status = enumIndex(row.StatusCode, Object.values(STATUS_CODES), "STATUS_CODE_");
  const span = {
    traceId: row.TraceId,
    spanId: row.SpanId,
    parentSpanId: row.ParentSpanId,
    traceState: row.TraceState,
    name: row.SpanName,
    kind: enumIndex(row.SpanKind, SPAN_KINDS, "SPAN_KIND_"),
    startTimeUnixNano: row.start,
    endTimeUnixNano: row.end,
    attributes: keyValues(row.SpanAttributes),
    events: row.eventTimes.map((time, i) => ({
      timeUnixNano: time,
      name: row.eventNames[i] ?? "",
      attributes: keyValues(row.eventAttributes[i] ?? {}),
    })),
    status: { code: status, ...(row.StatusMessage ? { message: row.StatusMessage } : {}) },
  };
  const record = spanRecord(span, resource, scope, undefined);
  if (!record) throw new FieldError("", "no span");
  return record;
}
