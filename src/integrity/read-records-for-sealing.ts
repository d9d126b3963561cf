import { readRecords } from "../ingest/index.js";

/** Characters of record lines per batch: a few megabytes, however large the file. */
const BATCH_CHARS = 8 * 1024 * 1024;

/**
 * The records `trailcheck seal` writes into a sealed log, one canonical JSON line each, a batch at a
 * time so a large file is never held whole. Reads any trace file the engine ingests (OTLP JSON,
 * collector JSONL, OpenAI Agents export, trailcheck JSONL). `source` (the path it was read from) is
 * dropped: it describes this machine, not the run, and would make the same records seal differently
 * from different directories.
 */
export async function* readRecordBatchesForSealing(file: string): AsyncGenerator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  for await (const record of readRecords(file)) {
    const { source: _source, ...sealed } = record;
    const line = JSON.stringify(sealed);
    batch.push(line);
    chars += line.length;
    if (chars >= BATCH_CHARS) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Every line readRecordBatchesForSealing gives, in one array. */
export async function readRecordsForSealing(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readRecordBatchesForSealing(file)) for (const line of batch) lines.push(line);
  return lines;
}
