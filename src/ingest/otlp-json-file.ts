import { readFile, stat } from "node:fs/promises";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { WHOLE_DOCUMENT_LIMIT } from "./formats.js";
import { type JsonPath, streamJsonParts } from "./json-stream.js";
import {
  fieldPath,
  type OtlpReadOptions,
  recordsFromOtlpJson,
  resourceAttributes,
  scopeOf,
  spanRecord,
} from "./otlp-json.js";
import { FieldError } from "./otlp-values.js";
import { badTrace, guardDepth, type IngestSource, parseJson } from "./source.js";

/** Reads an OTLP/JSON file (one `ExportTraceServiceRequest`, possibly pretty-printed). */
export async function* readOtlpJsonFile(
  file: string,
  options: OtlpReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const { size } = await stat(file);
  if (size > WHOLE_DOCUMENT_LIMIT) {
    yield* streamOtlpJsonFile(file, options);
    return;
  }
  const source = { file };
  const body = parseJson(await readFile(file, "utf8"), source);
  yield* guardDepth(source, () => recordsFromOtlpJson(body, source, options));
}

function isSelected(path: JsonPath): boolean {
  if (path[0] !== "resourceSpans") return false;
  if (path.length === 3) return path[2] === "resource";
  if (path.length === 5) return path[2] === "scopeSpans" && path[4] === "scope";
  return path.length === 6 && path[2] === "scopeSpans" && path[4] === "spans";
}

interface Pending {
  readonly scopeIndex: number;
  readonly spanIndex: number;
  readonly span: unknown;
}

/**
 * Streams a large OTLP/JSON document, holding one span at a time. Resource and scope usually come
 * before their spans; when a serialiser writes them after, the spans wait (only those that pass the
 * trace filter) until their `resourceSpans` entry is complete.
 */
export async function* streamOtlpJsonFile(
  file: string,
  options: OtlpReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const source: IngestSource = { file };
  let resourceIndex = -1;
  let resource: Attributes | undefined;
  const scopes = new Map<number, SpanRecord["scope"]>();
  let pending: Pending[] = [];

  const convert = (p: Pending, res: Attributes): SpanRecord | undefined => {
    try {
      return spanRecord(p.span, res, scopes.get(p.scopeIndex), source, options.traceId);
    } catch (err) {
      const at = `resourceSpans[${resourceIndex}].scopeSpans[${p.scopeIndex}].spans[${p.spanIndex}]`;
      if (err instanceof FieldError) throw badTrace(source, fieldPath(at, err), err.message);
      throw err;
    }
  };
  function* flush(): Generator<SpanRecord> {
    for (const p of pending) {
      const record = guardDepth(source, () => convert(p, resource ?? {}));
      if (record) yield record;
    }
    pending = [];
  }

  for await (const { path, value } of streamJsonParts(file, isSelected)) {
    const index = path[1] as number;
    if (index !== resourceIndex) {
      yield* flush();
      resourceIndex = index;
      resource = undefined;
      scopes.clear();
    }
    if (path.length === 3) {
      resource = resourceAttributes(value, source, `resourceSpans[${index}]`);
      yield* flush();
    } else if (path.length === 5) {
      scopes.set(path[3] as number, scopeOf(value, source, `resourceSpans[${index}].scopeSpans[${path[3]}]`));
    } else {
      const p: Pending = { scopeIndex: path[3] as number, spanIndex: path[5] as number, span: value };
      if (resource !== undefined && scopes.has(p.scopeIndex)) {
        const record = guardDepth(source, () => convert(p, resource!));
        if (record) yield record;
      } else if (options.traceId === undefined || mayBelongTo(value, options.traceId)) {
        pending.push(p);
      }
    }
  }
  yield* flush();
}

/** A cheap pre-filter for spans that must wait: the full check happens on conversion. */
function mayBelongTo(span: unknown, traceId: string): boolean {
  const id = (span as { traceId?: unknown } | null)?.traceId;
  return typeof id !== "string" || id.length !== 32 || id.toLowerCase() === traceId;
}
