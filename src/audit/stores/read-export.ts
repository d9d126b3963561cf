import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { createGunzip, gunzip } from "node:zlib";
import { fileSystemError, InputError } from "../../errors.js";
import { decodeProto, readCollectorProtoBatches } from "../../ingest/collector-proto.js";
import { recordsFromOtlpJson } from "../../ingest/otlp-json.js";
import { readLines } from "../../ingest/read-lines.js";
import { guardDepth, parseJson } from "../../ingest/source.js";
import { isZstdFile, zstdFileHead, zstdFileStream } from "../../ingest/zstd-file.js";
import type { SpanRecord } from "../../model/record.js";

const gunzipAsync = promisify(gunzip);

export const isGzip = (file: string) => /\.gz$/i.test(file);

/** A zlib or file error while reading stored data is bad input naming the file, never a crash. */
function readError(err: unknown, file: string): unknown {
  if (err instanceof InputError) return err;
  const e = err as NodeJS.ErrnoException;
  const refused = fileSystemError(err, "cannot read the file", file);
  if (refused) return refused;
  if (typeof e.code === "string" && (e.code.startsWith("Z_") || e.code === "ERR_ZLIB")) {
    return new InputError("bad-gzip", `not a valid gzip file: ${e.message}`, { file });
  }
  return err;
}

/** A gzipped file's bytes, decompressed as they are read. */
function gunzipped(file: string): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  return raw.pipe(createGunzip()).on("close", () => raw.destroy());
}

/** The first byte of a file's head that is not white space, after a byte-order mark. */
function firstTextByte(head: Buffer): number | undefined {
  const text = head
    .toString("latin1")
    .replace(/^\xef\xbb\xbf/, "")
    .trimStart();
  return text.length > 0 ? text.charCodeAt(0) : undefined;
}

/** The first byte of a (possibly gzipped or whole-file zstd) file that is not white space: `{` for JSON lines. */
async function firstByte(file: string, zstd: boolean): Promise<number | undefined> {
  if (zstd) return firstTextByte(await zstdFileHead(file, 4096));
  if (isGzip(file)) {
    const input = gunzipped(file);
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        const text = chunk.toString("latin1").trimStart();
        if (text.length > 0) return text.charCodeAt(0);
      }
      return undefined;
    } finally {
      input.destroy();
    }
  }
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return firstTextByte(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** JSON lines (`format: json`): the records of each line, one `ExportTraceServiceRequest` a line. */
async function* jsonLines(input: string | Readable, file: string): AsyncGenerator<SpanRecord[]> {
  for await (const { text, line } of readLines(input)) {
    const source = { file, line };
    const body = parseJson(text, source);
    const records = guardDepth(source, () => recordsFromOtlpJson(body, source));
    if (records.length > 0) yield records;
  }
}

/**
 * The spans of a collector file exporter file, plain, gzipped (a compressed rotated backup) or
 * compressed as a whole (`compression: zstd` behind the exporter.file.nativeCompression gate), in
 * batches of one export request: JSON lines (`format: json`), or the length-prefixed messages
 * `format: proto` and per-message `compression: zstd` write, read with the ingest's own frame reader.
 * The two are told apart by the first byte. Streamed: one line or message is held at a time.
 */
export async function* readExportFile(file: string): AsyncGenerator<SpanRecord[]> {
  try {
    const zstd = !isGzip(file) && (await isZstdFile(file));
    const first = await firstByte(file, zstd);
    if (first === undefined) return;
    const input = isGzip(file) ? gunzipped(file) : zstd ? zstdFileStream(file) : file;
    if (first === 0x7b) yield* jsonLines(input, file);
    else yield* readCollectorProtoBatches(input, { file });
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
    const body = /\.binpb(\.gz)?$/i.test(file)
      ? decodeProto(bytes, source)
      : parseJson(bytes.toString("utf8").replace(/^\ufeff/, ""), source);
    return guardDepth(source, () => recordsFromOtlpJson(body, source));
  } catch (err) {
    throw readError(err, file);
  }
}
