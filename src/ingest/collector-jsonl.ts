import type { Readable } from "node:stream";
import type { SpanRecord } from "../model/record.js";
import { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
import { readLines } from "./read-lines.js";
import { guardDepth, parseJson } from "./source.js";

type Options = OtlpReadOptions & { readonly file?: string };

/**
 * Reads the collector file exporter's output (`format: json`, no compression): every line is one
 * `ExportTraceServiceRequest`. A line may hold many traces and a trace may be split across lines,
 * so records come out in file order and `groupRuns` joins them. Blank lines are skipped; a bad line
 * is an `InputError` with its line number.
 */
export async function* readCollectorJsonl(
  input: string | Readable,
  options: Options = {},
): AsyncGenerator<SpanRecord> {
  for await (const batch of readCollectorJsonlBatches(input, options)) yield* batch;
}

/** `readCollectorJsonl` a line at a time: the records of each line that has any. */
export async function* readCollectorJsonlBatches(
  input: string | Readable,
  options: Options = {},
): AsyncGenerator<SpanRecord[]> {
  const file = options.file ?? (typeof input === "string" ? input : undefined);
  for await (const { text, line } of readLines(input)) {
    const source = { file, line };
    const body = parseJson(text, source);
    const records = guardDepth(source, () => recordsFromOtlpJson(body, source, options));
    if (records.length > 0) yield records;
  }
}
