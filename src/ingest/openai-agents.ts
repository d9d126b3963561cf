import { createHash } from "node:crypto";
import { classifyRecord } from "../conventions/classify.js";
import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord, Status } from "../model/record.js";
import { isoToUnixNanos } from "./iso-time.js";
import { FieldError, typeName } from "./otlp-values.js";
import { badTrace, guardDepth, type IngestSource, isPlainObject, setOwn } from "./source.js";

/** What an item is, when its container says so (`{traces:[…], spans:[…]}` items may omit `object`). */
export type AgentsItemHint = "trace" | "trace.span" | undefined;

const TRACE_ID = /^trace_([0-9a-fA-F]{32})$/;
const SPAN_ID = /^span_([0-9a-fA-F]{16,})$/;

/**
 * Converts an OpenAI Agents SDK trace export into records: the exporter payload `{data:[…]}`, a JSON
 * array of `trace` / `trace.span` objects, `{traces:[…], spans:[…]}`, or one such object. Pure.
 */
export function recordsFromOpenAIAgents(body: unknown, source?: IngestSource): SpanRecord[] {
  const assembler = new OpenAIAgentsAssembler();
  const out = guardDepth(source, () => assembler.addDocument(body, source));
  out.push(...assembler.finish());
  return out;
}

/**
 * Turns Agents SDK items into records as they arrive. A span needs its trace object (for the
 * workflow name, group and metadata), which may come later in the file, so spans wait until their
 * trace is seen or the input ends; with a trace filter, only that trace's spans wait.
 */
export class OpenAIAgentsAssembler {
  private readonly resources = new Map<string, Attributes>();
  private pending = new Map<
    string,
    Array<{ item: Record<string, unknown>; source?: IngestSource; at: string }>
  >();

  constructor(private readonly traceFilter?: string) {}

  /** Adds a whole document or one JSONL line: an item, an array of items, `{data}` or `{traces, spans}`. */
  addDocument(body: unknown, source?: IngestSource): SpanRecord[] {
    const out: SpanRecord[] = [];
    const addAll = (list: unknown, at: string, hint: AgentsItemHint) => {
      if (!Array.isArray(list)) throw badTrace(source, at, `expected an array, got ${typeName(list)}`);
      for (let i = 0; i < list.length; i++) out.push(...this.add(list[i], source, `${at}[${i}]`, hint));
    };
    if (Array.isArray(body)) addAll(body, "", undefined);
    else if (isPlainObject(body) && body.object === undefined && body.span_data === undefined) {
      if (body.data !== undefined) addAll(body.data, "data", undefined);
      if (body.traces !== undefined) addAll(body.traces, "traces", "trace");
      if (body.spans !== undefined) addAll(body.spans, "spans", "trace.span");
      if (body.data === undefined && body.traces === undefined && body.spans === undefined) {
        throw badTrace(
          source,
          "",
          "expected Agents SDK trace objects: {data:[…]}, […], {traces, spans} or items",
        );
      }
    } else out.push(...this.add(body, source, "", undefined));
    return out;
  }

  /** Adds one `trace` or `trace.span` item; returns the records it completes. */
  add(item: unknown, source: IngestSource | undefined, at: string, hint: AgentsItemHint): SpanRecord[] {
    if (item === null) return []; // a no-op trace or span serialises as null
    if (!isPlainObject(item)) throw badTrace(source, at, `expected an object, got ${typeName(item)}`);
    const kind = item.object ?? hint ?? (item.span_data !== undefined ? "trace.span" : undefined);
    try {
      if (kind === "trace") return this.addTrace(item);
      if (kind === "trace.span") return this.addSpan(item, source, at);
    } catch (err) {
      if (err instanceof FieldError)
        throw badTrace(source, at ? `${at}.${err.field}` : err.field, err.message);
      throw err;
    }
    if (typeof kind === "string") return []; // an item type from a newer SDK: ignored
    throw badTrace(source, at ? `${at}.object` : "object", "expected 'trace' or 'trace.span'");
  }

  /** The spans still waiting for a trace object that never came, with no trace-level attributes. */
  finish(): SpanRecord[] {
    const out: SpanRecord[] = [];
    for (const list of this.pending.values()) {
      for (const p of list) out.push(this.convertSpan(p.item, {}, p.source));
    }
    this.pending.clear();
    return out;
  }

  private addTrace(item: Record<string, unknown>): SpanRecord[] {
    const traceId = agentsTraceId(item.id, "id");
    const resource: Attributes = {};
    if (typeof item.workflow_name === "string") resource["openai_agents.workflow_name"] = item.workflow_name;
    if (item.group_id !== undefined && item.group_id !== null) {
      resource["openai_agents.group_id"] = flat(item.group_id)!;
    }
    if (isPlainObject(item.metadata)) {
      for (const key of Object.keys(item.metadata)) {
        const v = flat(item.metadata[key]);
        if (v !== undefined) setOwn(resource, `openai_agents.metadata.${key}`, v);
      }
    }
    this.resources.set(traceId, resource);
    const waiting = this.pending.get(traceId);
    if (!waiting) return [];
    this.pending.delete(traceId);
    return waiting.map((p) => this.convertSpan(p.item, resource, p.source));
  }

  private addSpan(item: Record<string, unknown>, source: IngestSource | undefined, at: string): SpanRecord[] {
    const traceId = agentsTraceId(item.trace_id, "trace_id");
    if (this.traceFilter !== undefined && traceId !== this.traceFilter) return [];
    const resource = this.resources.get(traceId);
    if (resource) return [this.convertSpan(item, resource, source)];
    // Validate now, so an error names the right line even though conversion waits.
    this.convertSpan(item, {}, source);
    const list = this.pending.get(traceId) ?? [];
    list.push({ item, source, at });
    this.pending.set(traceId, list);
    return [];
  }

  private convertSpan(
    item: Record<string, unknown>,
    resource: Attributes,
    source?: IngestSource,
  ): SpanRecord {
    return spanFromAgents(item, resource, source);
  }
}

function spanFromAgents(
  item: Record<string, unknown>,
  resource: Attributes,
  source?: IngestSource,
): SpanRecord {
  const traceId = agentsTraceId(item.trace_id, "trace_id");
  const spanId = agentsSpanId(item.id, "id");
  const rawParent = item.parent_id;
  let parentSpanId: string | undefined;
  if (rawParent !== undefined && rawParent !== null && rawParent !== "" && rawParent !== item.trace_id) {
    parentSpanId = agentsSpanId(rawParent, "parent_id");
  }
  const start = isoTime(item.started_at, "started_at");
  const end =
    item.ended_at === null || item.ended_at === undefined ? start : isoTime(item.ended_at, "ended_at");
  const data = item.span_data;
  if (!isPlainObject(data))
    throw new FieldError("span_data", data === undefined ? "missing" : "expected an object");
  const type = data.type;
  if (typeof type !== "string") throw new FieldError("span_data.type", "expected a string");

  const attributes: Attributes = {};
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (key === "data" && type === "custom" && isPlainObject(value)) {
      for (const dataKey of Object.keys(value))
        setFlat(attributes, `span_data.data.${dataKey}`, value[dataKey]);
    } else {
      setFlat(attributes, `span_data.${key}`, value);
    }
  }
  attributes["openai_agents.span_id"] = item.id as string;
  if (typeof rawParent === "string" && rawParent !== "") attributes["openai_agents.parent_id"] = rawParent;
  attributes["openai_agents.trace_id"] = item.trace_id as string;

  const status: Status = { code: "unset" };
  const error = item.error;
  if (error !== undefined && error !== null) {
    if (!isPlainObject(error)) throw new FieldError("error", `expected an object, got ${typeName(error)}`);
    status.code = "error";
    if (typeof error.message === "string") status.message = error.message;
    setFlat(attributes, "openai_agents.error.data", error.data);
  }
  const name = typeof data.name === "string" && data.name !== "" ? data.name : type;
  const { kind, convention } = classifyRecord(attributes);
  const record: SpanRecord = {
    traceId,
    spanId,
    name,
    kind,
    convention,
    spanKind: 0,
    start,
    end,
    status,
    attributes,
    events: [],
    resource: { ...resource },
  };
  if (parentSpanId !== undefined) record.parentSpanId = parentSpanId;
  if (source && (source.file !== undefined || source.line !== undefined)) record.source = { ...source };
  return record;
}

/** Attribute values are scalars: objects and arrays become JSON text, null means absent. */
function flat(value: unknown): AttributeValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  return JSON.stringify(value);
}

function setFlat(attributes: Attributes, key: string, value: unknown): void {
  const v = flat(value);
  if (v !== undefined) setOwn(attributes, key, v);
}

function isoTime(value: unknown, field: string): string {
  if (typeof value !== "string") {
    throw new FieldError(
      field,
      value === undefined ? "missing" : `expected an ISO time, got ${typeName(value)}`,
    );
  }
  const nanos = isoToUnixNanos(value);
  if (nanos === undefined)
    throw new FieldError(field, `expected an ISO 8601 time, got '${value.slice(0, 40)}'`);
  return nanos;
}

/** `trace_<32 hex>` → the hex. Other ids (the SDK lets users choose) are hashed, consistently. */
export function agentsTraceId(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new FieldError(field, "expected a trace id string");
  const m = TRACE_ID.exec(value);
  return m ? m[1]!.toLowerCase() : derivedId(value, 32);
}

/** `span_<24 hex>` → its first 16 hex digits; other ids are hashed, consistently. */
export function agentsSpanId(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new FieldError(field, "expected a span id string");
  const m = SPAN_ID.exec(value);
  return m ? m[1]!.slice(0, 16).toLowerCase() : derivedId(value, 16);
}

function derivedId(value: string, length: number): string {
  return createHash("sha256").update(value).digest("hex").slice(0, length);
}
