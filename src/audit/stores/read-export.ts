import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { createGunzip, gunzip } from "node:zlib";
import { InputError } from "../../errors.js";
import { readCollectorJsonl } from "../../ingest/collector-jsonl.js";
import { recordsFromOtlpJson } from "../../ingest/otlp-json.js";
import { decodeTraceRequest } from "../../ingest/otlp-proto.js";
import { guardDepth, parseJson } from "../../ingest/source.js";
import type { SpanRecord } from "../../model/record.js";

const gunzipAsync = promisify(gunzip);

export const isGzip = (file: string) => /\.gz$/i.test(file);

/** A zlib or file error while reading stored data is bad input naming the file, never a crash. */
function readError(err: unknown, file: string): unknown {
  if (err instanceof InputError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return new InputError("file-not-found", "cannot read the file", { file });
  if (typeof e.code === "string" && (e.code.startsWith("Z_") || e.code === "ERR_ZLIB")) {
    return new InputError("bad-gzip", `not a valid gzip file: ${e.message}`, { file });
  }
  if (e instanceof RangeError || /decode|index out of range|invalid wire type/i.test(e.message ?? "")) {
    return new InputError("bad-protobuf", `not an OTLP ExportTraceServiceRequest: ${e.message}`, { file });
  }
  return err;
}

function stream(file: string): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  return isGzip(file) ? raw.pipe(createGunzip()).on("close", () => raw.destroy()) : raw;
}

/** The first byte of a (possibly gzipped) file: `{` for JSON, anything else for protobuf. */
async function firstByte(file: string): Promise<number | undefined> {
  if (isGzip(file)) {
    for await (const chunk of stream(file) as AsyncIterable<Buffer>) {
      const text = chunk.toString("latin1").trimStart();
      if (text.length > 0) return text.charCodeAt(0);
    }
    return undefined;
  }
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString("latin1")
      .replace(/^\ufeff|^\xef\xbb\xbf/, "")
      .trimStart();
    return text.length > 0 ? text.charCodeAt(0) : undefined;
  } finally {
    await handle.close();
  }
}

/** Length-prefixed protobuf messages (4-byte big-endian length, then the message), as `format: proto` writes. */
async function* lengthPrefixed(input: Readable, file: string): AsyncGenerator<SpanRecord> {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readUInt32BE(0);
      if (pending.length < 4 + size) break;
      const body = decodeTraceRequest(pending.subarray(4, 4 + size));
      const source = { file, line: ++index };
      yield* guardDepth(source, () => recordsFromOtlpJson(body, source));
      pending = pending.subarray(4 + size);
    }
  }
  if (pending.length > 0) {
    throw new InputError("bad-protobuf", `a length-prefixed message is cut off after message ${index}`, {
      file,
    });
  }
}

/**
 * The spans of a collector file exporter file, plain or gzipped: JSON lines (`format: json`, one
 * `ExportTraceServiceRequest` a line) or length-prefixed protobuf (`format: proto`), told apart by the
 * first byte. Streamed: one line or message is held at a time.
 */
export async function* readExportFile(file: string): AsyncGenerator<SpanRecord> {
  try {
    const first = await firstByte(file);
    if (first === undefined) return;
    if (first === 0x7b) yield* readCollectorJsonl(stream(file), { file });
    else yield* lengthPrefixed(stream(file), file);
  } catch (err) {
    throw readError(err, file);
  }
}

/**
 * One stored object holding a single `ExportTraceServiceRequest` (the S3 exporter's `otlp_json` or
 * `otlp_proto` marshaler), plain or gzipped; read whole, as objects are one export batch each.
 */
export async function readExportObject(file: string): Promise<SpanRecord[]> {
  try {
    let bytes: Buffer = await readFile(file);
    if (isGzip(file)) bytes = await gunzipAsync(bytes);
    const source = { file };
    if (/\.binpb(\.gz)?$/i.test(file)) {
      const body = decodeTraceRequest(bytes);
      return guardDepth(source, () => recordsFromOtlpJson(body, source));
    }
    const body = parseJson(bytes.toString("utf8").replace(/^\ufeff/, ""), source);
    return guardDepth(source, () => recordsFromOtlpJson(body, source));
  } catch (err) {
    throw readError(err, file);
  }
}
