import { isUtf8 } from "node:buffer";
import { InputError } from "../errors.js";
import { checkInputFile } from "../files/read-input.js";
import { detectFormat } from "../ingest/detect.js";
import type { TraceFormat } from "../ingest/formats.js";
import type { SpanRecord } from "../model/record.js";
import { recordTypes } from "../model/record-types.js";
import { isCanonicalRecord } from "./canonical-record.js";
import { encodeLines } from "./record-bytes.js";
import { type RecordChunk, RecordTooLong, readRecordChunks } from "./record-chunks.js";

/** Characters of record lines per batch: a few megabytes, however large the file. */
const BATCH_CHARS = 8 * 1024 * 1024;
/** The spare byte in front of a chunk's records. */
const SPARE = Buffer.alloc(1);

/**
 * The line `trailcheck seal` writes for a record the ingest read. `source` (the path it was read from)
 * is dropped: it describes this machine, not the run, and would make the same records seal
 * differently from different directories. The hidden pdata types of its values, if any, follow as
 * `types` (record-types.ts), as trailcheck JSONL keeps them.
 */
export function sealedLine(record: SpanRecord): string {
  const { source: _source, ...sealed } = record;
  const types = recordTypes(record);
  return JSON.stringify(types ? { ...sealed, types } : sealed);
}

/**
 * The records `trailcheck seal` writes into a sealed log, one canonical JSON line each, a batch at a
 * time so a large file is never held whole. Reads any trace file the engine ingests (OTLP JSON,
 * collector JSONL, OpenAI Agents export, trailcheck JSONL), each record through the ingest.
 */
export async function* readRecordBatchesForSealing(
  file: string,
  format?: TraceFormat,
): AsyncGenerator<string[]> {
  const { readRecordBatches } = await import("../ingest/read-records.js");
  let batch: string[] = [];
  let chars = 0;
  for await (const records of readRecordBatches(file, format ? { format } : {})) {
    for (const record of records) {
      const line = sealedLine(record);
      batch.push(line);
      chars += line.length;
      if (chars >= BATCH_CHARS) {
        yield batch;
        batch = [];
        chars = 0;
      }
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

/**
 * What `seal` writes, as the bytes of the segment: the same lines readRecordBatchesForSealing gives,
 * each followed by a newline, in chunks of a few megabytes (buf[from − 1] spare, see hashAt). A chunk
 * is valid until the next one is asked for.
 *
 * Trailcheck JSONL is mostly canonical already — it is what `seal`, `check` and the exporters write —
 * and a canonical line is passed on as it lies in the read buffer, without a parse (isCanonicalRecord
 * decides, and errs towards "no"). Every other line, and every other format, goes through the ingest.
 */
export async function* readSealingChunks(file: string, chunkBytes?: number): AsyncGenerator<RecordChunk> {
  await checkInputFile(file, "the trace file");
  const format = await detectFormat(file);
  if (format !== "trailcheck-jsonl") {
    for await (const batch of readRecordBatchesForSealing(file, format)) {
      const buf = encodeLines(batch);
      yield { buf, from: 1, to: buf.length };
    }
    return;
  }
  const lines = new JsonlLines(file);
  try {
    for await (const { buf, from, to } of readRecordChunks(file, chunkBytes)) {
      const chunk = await lines.seal(buf, from, to);
      if (chunk.to > chunk.from) yield chunk;
    }
  } catch (err) {
    if (!(err instanceof RecordTooLong)) throw err;
    throw new InputError("bad-json", `${err.message}, more than trailcheck can read as one JSON value`, {
      file,
    });
  }
}

/**
 * The lines of a trailcheck JSONL file, numbered as the ingest numbers them (readLines: a lone `\r`
 * ends a line too, a byte-order mark opens the first, blank lines count but hold nothing).
 */
class JsonlLines {
  private line = 0;

  constructor(private readonly file: string) {}

  /**
   * What seal writes for the whole lines buf[from, to) (the last one without its newline only at the
   * end of the file): the very same bytes when every line is canonical, else a new buffer in which the
   * other lines are replaced by what the ingest makes of them.
   */
  async seal(buf: Buffer, from: number, to: number): Promise<RecordChunk> {
    const utf8 = isUtf8(buf.subarray(from, to));
    let pieces: Buffer[] | undefined;
    let kept = from; // start of the canonical lines not yet copied into pieces
    for (let start = from; start < to; ) {
      let nl = buf.indexOf(0x0a, start);
      if (nl < 0 || nl >= to) nl = to;
      if (nl < to && (utf8 || isUtf8(buf.subarray(start, nl))) && isCanonicalRecord(buf, start, nl)) {
        this.line++;
      } else {
        pieces ??= [SPARE];
        pieces.push(buf.subarray(kept, start));
        for (const line of await this.throughIngest(buf.toString("utf8", start, nl))) {
          pieces.push(Buffer.from(`${line}\n`));
        }
        kept = Math.min(nl + 1, to);
      }
      start = nl + 1;
    }
    if (!pieces) return { buf, from, to };
    pieces.push(buf.subarray(kept, to));
    const out = Buffer.concat(pieces);
    return { buf: out, from: 1, to: out.length };
  }

  /** The sealed lines of one newline-free stretch of text, read as readTrailcheckJsonl reads lines. */
  private async throughIngest(text: string): Promise<string[]> {
    const [{ recordFromTrailcheckJson }, { parseJson }, { isBlank }] = await Promise.all([
      import("../ingest/trailcheck-jsonl.js"),
      import("../ingest/source.js"),
      import("../ingest/read-lines.js"),
    ]);
    const parts = text.split("\r");
    // `\r\n` ends one line, and so does a `\r` last in the file: neither starts another.
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    const out: string[] = [];
    for (let part of parts) {
      this.line++;
      if (this.line === 1 && part.charCodeAt(0) === 0xfeff) part = part.slice(1);
      if (isBlank(part)) continue;
      const source = { file: this.file, line: this.line };
      const value = parseJson(part, source);
      const line = sealedLine(recordFromTrailcheckJson(value, source));
      const dropped = droppedField(value, JSON.parse(line));
      if (dropped !== undefined) {
        throw new InputError(
          "bad-record",
          "not a field of a trailcheck record: the sealed log would not hold it, and would then not be the file",
          { file: this.file, line: this.line, field: dropped },
        );
      }
      out.push(line);
    }
    return out;
  }
}

/** Fields whose value is an attribute map, not more fields of the record. */
const ATTRIBUTE_MAPS = new Set(["attributes", "resource"]);
/** Top-level fields the sealed line leaves out on purpose (sealedLine): the rest must all be kept. */
const SEALED_WITHOUT = new Set(["source", "types"]);

/**
 * The first field of `input` (a parsed record line) that `kept` (its sealed form) lacks, as a path:
 * the ingest drops fields it does not know, and a tamper-evident copy that silently lost some of the
 * file's content would vouch for less than the user sealed. Values are compared for presence only,
 * and attribute maps not at all.
 */
function droppedField(input: unknown, kept: unknown): string | undefined {
  const walk = (a: unknown, b: unknown, path: string): string | undefined => {
    if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return undefined;
    if (Array.isArray(a)) {
      if (!Array.isArray(b)) return undefined;
      for (let i = 0; i < a.length; i++) {
        const found = walk(a[i], b[i], `${path}[${i}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(a)) {
      const at = path ? `${path}.${key}` : key;
      if (!path && SEALED_WITHOUT.has(key)) continue;
      if (!Object.hasOwn(b, key)) return at;
      // An attribute map keeps every key the ingest can hold; its values are the user's data.
      if (ATTRIBUTE_MAPS.has(key)) continue;
      const found = walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(input, kept, "");
}
