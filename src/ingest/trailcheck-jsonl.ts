import type { Readable } from "node:stream";
import type { z } from "zod";
import { InputError } from "../errors.js";
import { type SpanRecord, SpanRecordSchema } from "../model/record.js";
import { applyRecordTypes, RecordTypesError, recordTypes } from "../model/record-types.js";
import { readLines } from "./read-lines.js";
import { guardDepth, type IngestSource, parseJson } from "./source.js";

export interface TrailcheckReadOptions {
  /** Keep only the records of this trace. */
  readonly traceId?: string;
  /** The file name for error messages, when reading a stream. */
  readonly file?: string;
}

/** Validates one parsed line as a `SpanRecord`; zod's issues become an `InputError` with the field path. */
export function recordFromTrailcheckJson(value: unknown, source?: IngestSource): SpanRecord {
  const result = guardDepth(source, () => SpanRecordSchema.safeParse(value));
  if (result.success) {
    // The pdata types the values' JSON form does not tell, when the writer kept them (record-types.ts).
    const types = (value as { types?: unknown }).types;
    if (types !== undefined) {
      try {
        guardDepth(source, () => applyRecordTypes(result.data, types));
      } catch (err) {
        if (!(err instanceof RecordTypesError)) throw err;
        throw new InputError("bad-record", err.message, {
          file: source?.file,
          line: source?.line,
          field: err.field,
        });
      }
    }
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
  throw new InputError("bad-record", `${issue.message}${more}`, {
    file: source?.file,
    line: source?.line,
    field: issuePath(issue),
  });
}

/** Reads trailcheck's own JSONL: one `SpanRecord` per line, blank lines skipped. */
export async function* readTrailcheckJsonl(
  input: string | Readable,
  options: TrailcheckReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const file = options.file ?? (typeof input === "string" ? input : undefined);
  for await (const { text, line } of readLines(input)) {
    const source = { file, line };
    const record = recordFromTrailcheckJson(parseJson(text, source), source);
    if (options.traceId === undefined || record.traceId === options.traceId) yield record;
  }
}

/** The pure counterpart of `readTrailcheckJsonl` for text already in memory. */
export function recordsFromTrailcheckJsonl(text: string, source: IngestSource = {}): SpanRecord[] {
  const out: SpanRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const at = { file: source.file, line: i + 1 };
    out.push(recordFromTrailcheckJson(parseJson(line, at), at));
  }
  return out;
}

const RECORD_KEYS = Object.keys(SpanRecordSchema.shape) as (keyof SpanRecord)[];

/**
 * Writes records as trailcheck JSONL, one per line, keys in schema order so the text is canonical:
 * reading it back gives the same records, and writing those gives the same text. The hidden pdata
 * types of a record's values, if any, follow as `types`.
 */
export function serializeRecordsJsonl(records: Iterable<SpanRecord>): string {
  let out = "";
  for (const record of records) {
    const ordered: Record<string, unknown> = {};
    for (const key of RECORD_KEYS) if (record[key] !== undefined) ordered[key] = record[key];
    const types = recordTypes(record);
    if (types) ordered["types"] = types;
    out += `${JSON.stringify(ordered)}\n`;
  }
  return out;
}

function issuePath(issue: z.core.$ZodIssue): string {
  let out = "";
  for (const part of issue.path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}
