import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";

type OtlpValue = Record<string, unknown>;

function anyValue(value: AttributeValue): OtlpValue {
  if (value === null) return {};
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number")
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: Attributes): OtlpValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const STATUS = { unset: 0, ok: 1, error: 2 } as const;

function otlpSpan(r: SpanRecord): OtlpValue {
  return {
    traceId: r.traceId,
    spanId: r.spanId,
    ...(r.parentSpanId ? { parentSpanId: r.parentSpanId } : {}),
    name: r.name,
    kind: r.spanKind,
    startTimeUnixNano: r.start,
    endTimeUnixNano: r.end,
    attributes: keyValues(r.attributes),
    events: r.events.map((e) => ({
      timeUnixNano: e.time,
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    status:
      r.status.code === "unset"
        ? {}
        : { code: STATUS[r.status.code], ...(r.status.message ? { message: r.status.message } : {}) },
  };
}

/**
 * Records as one OTLP/JSON `ExportTraceServiceRequest`, grouped by resource and scope as an exporter
 * batches them: what a collector's file or S3 exporter writes for one batch. Record order is kept
 * within each scope.
 */
export function exportRequest(records: readonly SpanRecord[]): { resourceSpans: OtlpValue[] } {
  const resources = new Map<
    string,
    { resource: Attributes; scopes: Map<string, { scope: SpanRecord["scope"]; spans: OtlpValue[] }> }
  >();
  for (const r of records) {
    const rk = JSON.stringify(r.resource);
    let res = resources.get(rk);
    if (!res) {
      res = { resource: r.resource, scopes: new Map() };
      resources.set(rk, res);
    }
    const sk = JSON.stringify(r.scope ?? null);
    let scope = res.scopes.get(sk);
    if (!scope) {
      scope = { scope: r.scope, spans: [] };
      res.scopes.set(sk, scope);
    }
    scope.spans.push(otlpSpan(r));
  }
  return {
    resourceSpans: [...resources.values()].map((res) => ({
      resource: { attributes: keyValues(res.resource) },
      scopeSpans: [...res.scopes.values()].map((s) => ({
        scope: s.scope
          ? { name: s.scope.name, ...(s.scope.version ? { version: s.scope.version } : {}) }
          : {},
        spans: s.spans,
      })),
    })),
  };
}
