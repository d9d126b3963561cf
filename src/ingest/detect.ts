import { open, stat } from "node:fs/promises";
import { fileSystemError, InputError } from "../errors.js";
import { TRACE_FORMATS, type TraceFormat, WHOLE_DOCUMENT_LIMIT } from "./formats.js";
import { firstLine, firstNonBlank, HEAD_BYTES, readHead } from "./read-lines.js";
import { isZstdMagic, ZSTD_MAGIC, zstdFileHead } from "./zstd-file.js";

const LINE_EXTENSIONS = /\.(jsonl|ndjson)$/i;
const AGENTS_OBJECT = /"object"\s*:\s*"trace/;
const AGENTS_CONTAINER = /^\[?\s*\{\s*"(data|traces|spans)"\s*:\s*\[/;
const RESOURCE_SPANS = /"resourceSpans"\s*:/;

/**
 * Decides a trace file's format from its name and its first bytes:
 * - `"resourceSpans"` on a first line that is a whole object (or a `.jsonl` name) → collector-jsonl;
 *   in a document spread over lines → otlp-json;
 * - `"object":"trace…"`, or `{"data":[` / `{"traces":[` / `{"spans":[` → openai-agents;
 * - a first line with top-level `"traceId"` and `"spanId"` → trailcheck-jsonl.
 */
export async function detectFormat(file: string): Promise<TraceFormat> {
  let format: TraceFormat | undefined;
  try {
    format =
      (await detectBinary(file)) ?? detectFormatFromHead(file, await readHead(file), (await stat(file)).size);
  } catch (err) {
    // A read from an open file names no path: the refusal names the file.
    throw fileSystemError(err, "cannot read the file", file) ?? err;
  }
  if (format) return format;
  throw new InputError(
    "unknown-trace-format",
    `cannot tell the trace format; trailcheck reads ${TRACE_FORMATS.join(", ")} (is it one of them, and valid JSON?)`,
    { file },
  );
}

const PROTO_EXTENSIONS = /\.(pb|binpb)$/i;

/**
 * Binary trace files: a `.pb`/`.binpb` name is one OTLP protobuf request; a file that opens with a
 * 4-byte big-endian length that fits the file, followed by a zstd frame or a protobuf
 * `resource_spans` field, is a length-prefixed collector file export (`format: proto` or
 * `compression: zstd`), even when the file ends inside that message. Text never starts with a zero byte,
 * so JSON is never taken for either. A first
 * message of 16 MiB or more has a length whose first byte is not zero: then the length must also end
 * where the file ends or where a next length that fits the file begins, which text does not do.
 */
async function detectBinary(file: string): Promise<TraceFormat | undefined> {
  if (PROTO_EXTENSIONS.test(file)) return "otlp-proto";
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (isZstdMagic(head.subarray(0, bytesRead))) return await detectZstdFile(file);
    if (bytesRead < 5) return undefined;
    const length = head.readUInt32BE(0);
    const size = (await handle.stat()).size;
    const zstd = bytesRead === 8 && head.readUInt32LE(4) === ZSTD_MAGIC;
    if (length === 0 || (!zstd && head[4] !== 0x0a)) return undefined;
    // A first message longer than the file is an export cut inside it (the collector stopped while
    // writing it): its reader says so, where "unknown format" would send the user looking elsewhere.
    if (head[0] === 0) return "collector-proto";
    if (length > size - 4) return undefined;
    const next = 4 + length;
    if (next === size) return "collector-proto";
    const { bytesRead: nextRead } = await handle.read(head, 0, 4, next);
    return nextRead === 4 && head.readUInt32BE(0) <= size - next - 4 ? "collector-proto" : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * A file compressed as a whole (the exporter's native zstd compression) holds what the exporter
 * writes uncompressed: JSON lines (`format: json`) or length-prefixed messages (`format: proto`).
 */
async function detectZstdFile(file: string): Promise<TraceFormat> {
  const head = await zstdFileHead(file, 8);
  const first = firstNonBlank(head);
  if (first === 0x7b) return "collector-jsonl";
  if (head.length >= 5 && head[4] === 0x0a) return "collector-proto";
  throw new InputError(
    "unknown-trace-format",
    "a zstd-compressed file that holds neither JSON lines nor length-prefixed OTLP messages (what the collector's file exporter compresses)",
    { file },
  );
}

/** The pure part of `detectFormat`: `head` is the start of the file, `size` its length in bytes. */
export function detectFormatFromHead(file: string, head: string, size: number): TraceFormat | undefined {
  const first = firstLine(head);
  const text = first.text;
  const lineNamed = LINE_EXTENSIONS.test(file);
  if (RESOURCE_SPANS.test(text) && text.startsWith("{")) {
    if (lineNamed) return "collector-jsonl";
    // A whole object on a first line followed by more lines is one export batch per line (the
    // collector's layout); a lone line is one document. A first line too long to see whole is read
    // as lines too, unless the file is big enough that a single-line document must be streamed.
    if (!first.complete) return size > WHOLE_DOCUMENT_LIMIT ? "otlp-json" : "collector-jsonl";
    if (!text.endsWith("}")) return "otlp-json";
    return first.more || size > HEAD_BYTES ? "collector-jsonl" : "otlp-json";
  }
  if (RESOURCE_SPANS.test(head)) return "otlp-json";
  if (AGENTS_OBJECT.test(head) || AGENTS_CONTAINER.test(head.trimStart())) return "openai-agents";
  if (text.startsWith("{") && hasTopLevelIds(text, first.complete)) return "trailcheck-jsonl";
  return undefined;
}

function hasTopLevelIds(text: string, complete: boolean): boolean {
  if (complete) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      return typeof value.traceId === "string" && typeof value.spanId === "string";
    } catch {
      return false;
    }
  }
  return text.includes('"traceId"') && text.includes('"spanId"');
}
