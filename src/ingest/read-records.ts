import type { Readable } from "node:stream";
import { fileSystemError, InputError } from "../errors.js";
import { checkInputFile } from "../files/read-input.js";
import type { SpanRecord } from "../model/record.js";
import { groupRuns, type Run } from "../model/run.js";
import { detectFormat } from "./detect.js";
import type { TraceFormat } from "./formats.js";

export interface ReadOptions {
  /** The file's format; detected from its name and first bytes when absent. */
  readonly format?: TraceFormat;
  /** Keep only this trace: 32 hex digits (any case), or an Agents SDK `trace_<hex>` id. */
  readonly traceId?: string;
}

type Batches = AsyncGenerator<readonly SpanRecord[]>;

/** Records a reader yields one at a time, passed on in batches of this many. */
const BATCH = 256;

/** Groups records read one at a time into batches: one step of an async iteration per batch, not per record. */
export async function* inBatches(records: AsyncIterable<SpanRecord>): Batches {
  let batch: SpanRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * One reader per format, each loaded when a file needs it: a check of a JSON export doesn't load the
 * protobuf, zstd and streaming-JSON parsers.
 */
const READERS: Record<TraceFormat, (file: string, traceId: string | undefined) => Promise<Batches>> = {
  "otlp-json": async (file, traceId) =>
    inBatches((await import("./otlp-json-file.js")).readOtlpJsonFile(file, { traceId })),
  "otlp-proto": async (file, traceId) =>
    inBatches((await import("./otlp-proto-file.js")).readOtlpProtoFile(file, { traceId })),
  "collector-proto": async (file, traceId) =>
    inBatches(
      (await import("./collector-proto.js")).readCollectorProto(await exportInput(file), { traceId, file }),
    ),
  "collector-jsonl": async (file, traceId) =>
    (await import("./collector-jsonl.js")).readCollectorJsonlBatches(await exportInput(file), {
      traceId,
      file,
    }),
  "openai-agents": async (file, traceId) =>
    inBatches((await import("./openai-agents-file.js")).readOpenAIAgentsFile(file, { traceId })),
  "trailcheck-jsonl": async (file, traceId) =>
    inBatches((await import("./trailcheck-jsonl.js")).readTrailcheckJsonl(file, { traceId })),
};

/** A collector file export as its readers take it: the file, or its bytes decompressed when it is zstd as a whole. */
async function exportInput(file: string): Promise<string | Readable> {
  const zstd = await import("./zstd-file.js");
  return (await zstd.isZstdFile(file)) ? zstd.zstdFileStream(file) : file;
}

/**
 * The records of a trace file in file order, in batches as they are read (a line of a collector export,
 * say): a consumer that takes many records pays for one step of the iteration per batch, not per record.
 * With `traceId`, records of other traces are dropped as they are read, so memory holds one trace.
 */
export async function* readRecordBatches(file: string, opts: ReadOptions = {}): Batches {
  const traceId = normalizeTraceId(opts.traceId);
  await checkInputFile(file, "the trace file");
  try {
    const format = opts.format ?? (await detectFormat(file));
    yield* await READERS[format](file, traceId);
  } catch (err) {
    // A read from an open file names no path: the refusal names the trace file.
    throw fileSystemError(err, "cannot read the file", file) ?? err;
  }
}

/**
 * Streams the records of a trace file in file order. With `traceId`, records of other traces are
 * dropped as they are read, so memory holds one trace, not the file.
 */
export async function* readRecords(file: string, opts: ReadOptions = {}): AsyncGenerator<SpanRecord> {
  for await (const batch of readRecordBatches(file, opts)) yield* batch;
}

/** The runs of a trace file: its records grouped by trace, in first-seen order. */
export async function readRuns(file: string, opts: ReadOptions = {}): Promise<Run[]> {
  const records: SpanRecord[] = [];
  for await (const batch of readRecordBatches(file, opts)) for (const r of batch) records.push(r);
  return groupRuns(records);
}

/** The trace ids in a file, in first-seen order, without keeping the records. */
export async function listTraceIds(file: string, opts: Pick<ReadOptions, "format"> = {}): Promise<string[]> {
  const seen = new Set<string>();
  for await (const batch of readRecordBatches(file, { format: opts.format })) {
    for (const record of batch) seen.add(record.traceId);
  }
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
