import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { valueType } from "../model/value-types.js";

type OtlpValue = Record<string, unknown>;

/** `container[key]` as an OTLP AnyValue of its pdata type (an integral double stays a double). */
function anyValue(container: Attributes | AttributeValue[], key: string | number): OtlpValue {
  const value = (container as Record<string, AttributeValue>)[key as string]!;
  switch (valueType(container, key)) {
    case "Empty":
      return {};
    case "Str":
      return { stringValue: value };
    case "Bool":
      return { boolValue: value };
    case "Int":
      return { intValue: String(value) };
    case "Double":
      return { doubleValue: value };
    case "Bytes":
      return { bytesValue: value };
    case "Slice": {
      const list = value as AttributeValue[];
      return { arrayValue: { values: list.map((_, i) => anyValue(list, i)) } };
    }
    case "Map":
      return { kvlistValue: { values: keyValues(value as Attributes) } };
  }
}

function keyValues(attributes: Attributes): OtlpValue[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes, key) }));
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
