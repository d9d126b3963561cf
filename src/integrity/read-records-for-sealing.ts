import { readRecords } from "../ingest/index.js";

/**
 * The records `trailcheck seal` writes into a sealed log, one canonical JSON line each. Reads any
 * trace file the engine ingests (OTLP JSON, collector JSONL, OpenAI Agents export, trailcheck JSONL).
 * `source` (the path it was read from) is dropped: it describes this machine, not the run, and
 * would make the same records seal differently from different directories.
 */
export async function readRecordsForSealing(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const record of readRecords(file)) {
    const { source: _source, ...sealed } = record;
    lines.push(JSON.stringify(sealed));
  }
  return lines;
}
