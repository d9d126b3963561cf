// The OpenTelemetry Collector `file` exporter with `format: json`: one ExportTraceServiceRequest per
// line. Built from the two AI SDK v6 traces, cut into export batches the way a batch processor
// delivers them (spans in end order, children before parents): the first trace is split across
// lines 1 and 2, line 2 holds spans of both traces, the denied trace ends on line 3.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { log, type OtlpRequest, type OtlpSpan, OUT_DIR, writeText } from "./otel.js";

type Flat = { resource: unknown; scope: unknown; span: OtlpSpan & { endTimeUnixNano?: string } };

function flatten(file: string): Flat[] {
  const request = JSON.parse(readFileSync(resolve(OUT_DIR, file), "utf8")) as OtlpRequest;
  const out: Flat[] = [];
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) out.push({ resource: rs.resource, scope: ss.scope, span });
    }
  }
  return out.sort((a, b) => {
    const x = BigInt(a.span.endTimeUnixNano ?? 0);
    const y = BigInt(b.span.endTimeUnixNano ?? 0);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function toRequest(batch: Flat[]): OtlpRequest {
  const byResource = new Map<
    string,
    { resource: unknown; scopes: Map<string, { scope: unknown; spans: OtlpSpan[] }> }
  >();
  for (const { resource, scope, span } of batch) {
    const rk = JSON.stringify(resource);
    let r = byResource.get(rk);
    if (!r) {
      r = { resource, scopes: new Map() };
      byResource.set(rk, r);
    }
    const sk = JSON.stringify(scope);
    let s = r.scopes.get(sk);
    if (!s) {
      s = { scope, spans: [] };
      r.scopes.set(sk, s);
    }
    s.spans.push(span);
  }
  return {
    resourceSpans: [...byResource.values()].map((r) => ({
      resource: r.resource as OtlpRequest["resourceSpans"][number]["resource"],
      scopeSpans: [...r.scopes.values()].map((s) => ({
        scope: s.scope as { name: string; version?: string },
        spans: s.spans,
      })),
    })),
  };
}

const all = [...flatten("ai-sdk-v6.otlp.json"), ...flatten("ai-sdk-v6-denied.otlp.json")];
const first = flatten("ai-sdk-v6.otlp.json").length;
// Line 1: most of the first trace; line 2: its remaining spans and the start of the denied trace.
const cuts = [first - 3, first + 4];
const batches = [all.slice(0, cuts[0]), all.slice(cuts[0], cuts[1]), all.slice(cuts[1])];
const lines = batches.map((b) => JSON.stringify(toRequest(b)));
const path = writeText("collector-file-export.jsonl", lines.join("\n") + "\n");
log(`collector-file-export.jsonl: ${lines.length} lines, ${all.length} spans -> ${path}`);
