import type { Attributes, AttributeValue } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import { type HiddenType, hiddenTypes } from "../../model/value-types.js";

/**
 * What `bytes_limiting` counts for a trace: `calculateTraceSize` is
 * `ptrace.ProtoMarshaler.TracesSize(trace.ReceivedBatches)` (bytes_limiting.go), the OTLP protobuf size
 * of the batches the trace arrived in. The collector keeps one ResourceSpans, with its resource and
 * scope, per batch a trace's spans came in; trailcheck does not see those batches and counts each span
 * as a batch of its own, the most a trace can weigh. Fields a record does not keep (links, flags,
 * dropped counts, scope attributes, schema URLs) count nothing.
 */
export function traceSize(spans: readonly SpanRecord[]): number {
  let size = 0;
  for (const s of spans) {
    const scope = str(s.scope?.name ?? "") + str(s.scope?.version ?? "");
    const scopeSpans = field(scope) + field(spanSize(s));
    size += field(field(attributesSize(s.resource)) + field(scopeSpans));
  }
  return size;
}

const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

function spanSize(s: SpanRecord): number {
  let size = 2 + 16 + 2 + 8; // trace_id, span_id
  size += str(s.traceState ?? "");
  if (s.parentSpanId !== undefined) size += 2 + 8;
  size += str(s.name);
  if (s.spanKind !== 0) size += 1 + varintSize(BigInt(s.spanKind));
  size += fixed64(s.start) + fixed64(s.end);
  size += attributesSize(s.attributes);
  for (const e of s.events) size += field(fixed64(e.time) + str(e.name) + attributesSize(e.attributes));
  const code = STATUS_CODE[s.status.code];
  size += field(str(s.status.message ?? "") + (code === 0 ? 0 : 2)); // status is always written
  return size;
}

/** A repeated KeyValue field; a KeyValue's value is always written, even when empty. Every tag used is below 16: one byte. */
function attributesSize(attrs: Attributes): number {
  let size = 0;
  const types = hiddenTypes(attrs);
  for (const key in attrs) size += field(str(key) + field(anyValueSize(attrs[key]!, types?.get(key))));
  return size;
}

/** By the value's pdata type where its plain form does not tell it (value-types.ts). */
function anyValueSize(v: AttributeValue, hidden: HiddenType | undefined): number {
  if (v === null) return 0;
  // A oneof member is written even when it holds its zero value.
  if (hidden === "Double") return 9;
  if (hidden === "Int") return 1 + varintSize(BigInt.asUintN(64, BigInt(v as string)));
  if (hidden === "Bytes") return field(Buffer.byteLength(v as string, "base64"));
  if (typeof v === "string") return field(utf8Length(v));
  if (typeof v === "boolean") return 2;
  if (typeof v === "number") return Number.isInteger(v) ? 1 + varintSize(BigInt.asUintN(64, BigInt(v))) : 9;
  if (Array.isArray(v)) {
    let list = 0;
    const types = hiddenTypes(v);
    for (let i = 0; i < v.length; i++) list += field(anyValueSize(v[i]!, types?.get(String(i))));
    return field(list);
  }
  return field(attributesSize(v)); // a kvlist: its KeyValues, as attributes are written
}

/** A length-delimited field with a one-byte tag around `length` bytes of content. */
function field(length: number): number {
  return 1 + varintSize(BigInt(length)) + length;
}

/** A proto3 string field: left out when empty. */
function str(s: string): number {
  return s === "" ? 0 : field(utf8Length(s));
}

/** A proto3 fixed64 timestamp: left out when zero. */
function fixed64(unixNanos: string): number {
  return unixNanos === "0" ? 0 : 9;
}

function varintSize(n: bigint): number {
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8");
