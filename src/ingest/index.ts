import { InputError } from "../errors.js";
import { checkInputFile } from "../files/read-input.js";
import { groupRuns, type Run, type SpanRecord } from "../model/record.js";
import { readCollectorJsonl } from "./collector-jsonl.js";
import { readCollectorProto } from "./collector-proto.js";
import { detectFormat } from "./detect.js";
import type { TraceFormat } from "./formats.js";
import { readOpenAIAgentsFile } from "./openai-agents-file.js";
import { readOtlpJsonFile } from "./otlp-json-file.js";
import { readOtlpProtoFile } from "./otlp-proto-file.js";
import { readTrailcheckJsonl } from "./trailcheck-jsonl.js";

export { readCollectorJsonl } from "./collector-jsonl.js";
export { detectFormat, detectFormatFromHead } from "./detect.js";
export { isTraceFormat, TRACE_FORMATS, type TraceFormat } from "./formats.js";
export { isoToUnixNanos } from "./iso-time.js";
export { OpenAIAgentsAssembler, recordsFromOpenAIAgents } from "./openai-agents.js";
export { readOpenAIAgentsFile } from "./openai-agents-file.js";
export { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
export { readOtlpJsonFile, streamOtlpJsonFile, WHOLE_DOCUMENT_LIMIT } from "./otlp-json-file.js";
export { anyValue, attributesFromOtlp } from "./otlp-values.js";
export type { IngestSource } from "./source.js";
export {
  readTrailcheckJsonl,
  recordFromTrailcheckJson,
  recordsFromTrailcheckJsonl,
  serializeRecordsJsonl,
} from "./trailcheck-jsonl.js";

export interface ReadOptions {
  /** The file's format; detected from its name and first bytes when absent. */
  readonly format?: TraceFormat;
  /** Keep only this trace: 32 hex digits (any case), or an Agents SDK `trace_<hex>` id. */
  readonly traceId?: string;
}

const READERS: Record<
  TraceFormat,
  (file: string, traceId: string | undefined) => AsyncGenerator<SpanRecord>
> = {
  "otlp-json": (file, traceId) => readOtlpJsonFile(file, { traceId }),
  "otlp-proto": (file, traceId) => readOtlpProtoFile(file, { traceId }),
  "collector-proto": (file, traceId) => readCollectorProto(file, { traceId }),
  "collector-jsonl": (file, traceId) => readCollectorJsonl(file, { traceId }),
  "openai-agents": (file, traceId) => readOpenAIAgentsFile(file, { traceId }),
  "trailcheck-jsonl": (file, traceId) => readTrailcheckJsonl(file, { traceId }),
};

/**
 * Streams the records of a trace file in file order. With `traceId`, records of other traces are
 * dropped as they are read, so memory holds one trace, not the file.
 */
export async function* readRecords(file: string, opts: ReadOptions = {}): AsyncGenerator<SpanRecord> {
  const traceId = normalizeTraceId(opts.traceId);
  await checkInputFile(file, "the trace file");
  const format = opts.format ?? (await detectFormat(file));
  yield* READERS[format](file, traceId);
}

/** The runs of a trace file: its records grouped by trace, in first-seen order. */
export async function readRuns(file: string, opts: ReadOptions = {}): Promise<Run[]> {
  const records: SpanRecord[] = [];
  for await (const record of readRecords(file, opts)) records.push(record);
  return groupRuns(records);
}

/** The trace ids in a file, in first-seen order, without keeping the records. */
export async function listTraceIds(file: string, opts: Pick<ReadOptions, "format"> = {}): Promise<string[]> {
  const seen = new Set<string>();
  for await (const record of readRecords(file, { format: opts.format })) seen.add(record.traceId);
  return [...seen];
}

function normalizeTraceId(traceId: string | undefined): string | undefined {
  if (traceId === undefined) return undefined;
  const hex = traceId.startsWith("trace_") ? traceId.slice(6) : traceId;
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new InputError("bad-trace-id", `'${traceId}' is not a trace id; expected 32 hex digits`, {
      field: "traceId",
    });
  }
  return hex.toLowerCase();
}
