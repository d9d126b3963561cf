// OTLP trace messages in protobuf, decoded with protobufjs into the OTLP/JSON shape that
// `recordsFromOtlpJson` reads, so both encodings share one converter. The schema below lists the
// messages and field numbers of opentelemetry-proto v1 (trace, common, resource, collector/trace)
// that a trace export uses; fields it doesn't list are skipped by the decoder, as proto3 requires.
import protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto3";
package otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
  fixed32 flags = 16;
  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
}
message Status { string message = 2; int32 code = 3; }

// google.rpc.Status, the body of OTLP/HTTP error answers.
message RpcStatus { int32 code = 1; string message = 2; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const Request = root.lookupType("otlp.ExportTraceServiceRequest");
const RpcStatus = root.lookupType("otlp.RpcStatus");

const ID_FIELDS = new Set(["traceId", "spanId", "parentSpanId"]);

/** Turns base64 ids into hex (OTLP/JSON spells ids in hex), in place. */
function hexIds(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) hexIds(item);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (ID_FIELDS.has(key) && typeof v === "string") obj[key] = Buffer.from(v, "base64").toString("hex");
    else if (typeof v === "object") hexIds(v);
  }
}

/**
 * Decodes a protobuf `ExportTraceServiceRequest` into its OTLP/JSON form: lowerCamelCase keys, hex
 * ids, 64-bit integers as decimal strings, enums as integers, `bytesValue` in base64. Throws on bytes
 * that are not such a message.
 */
export function decodeTraceRequest(bytes: Uint8Array): Record<string, unknown> {
  const message = Request.decode(bytes);
  const json = Request.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false });
  hexIds(json);
  return json;
}

/** Turns hex ids into bytes, in a copy: the inverse of `hexIds`. */
function idBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idBytes);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = ID_FIELDS.has(key) && typeof v === "string" ? Buffer.from(v, "hex") : idBytes(v);
  }
  return out;
}

/** Encodes a request in its OTLP/JSON form as protobuf: the inverse of `decodeTraceRequest` (for tests). */
export function encodeTraceRequest(json: Record<string, unknown>): Uint8Array {
  return Request.encode(Request.fromObject(idBytes(json) as Record<string, unknown>)).finish();
}

/** An empty `ExportTraceServiceResponse`: zero bytes, as every field is unset. */
export const EMPTY_TRACE_RESPONSE = new Uint8Array(0);

/** A `google.rpc.Status` with the given gRPC code and message, protobuf-encoded. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return RpcStatus.encode(RpcStatus.create({ code, message })).finish();
}

/** Reads a `google.rpc.Status` (for tests and clients of the receiver). */
export function decodeRpcStatus(bytes: Uint8Array): { code: number; message: string } {
  const obj = RpcStatus.toObject(RpcStatus.decode(bytes), { defaults: true }) as {
    code: number;
    message: string;
  };
  return obj;
}
