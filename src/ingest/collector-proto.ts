import { constants } from "node:buffer";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { XXHashAPI } from "xxhash-wasm";
import { InputError } from "../errors.js";
import type { SpanRecord } from "../model/record.js";
import { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
import { decodeTraceRequest } from "./otlp-proto.js";
import { firstNonBlank } from "./read-lines.js";
import { badTrace, guardDepth, type IngestSource, parseJson } from "./source.js";
import { ZSTD_MAGIC } from "./zstd-file.js";
import { CheckedZstd, frameAt, loadXxhash } from "./zstd-frames.js";

/** One length-prefixed message of a file, with where it starts. */
interface Frame {
  readonly bytes: Uint8Array;
  /** 1-based position among the file's messages. */
  readonly index: number;
  readonly offset: number;
}

/**
 * The messages of a file written by the collector's file exporter with `format: proto` or with
 * `compression: zstd`: each is preceded by its length as 4 big-endian bytes (exportMessageAsBuffer).
 * `input` is the file, or its bytes as a stream (a gzipped backup, decompressed) with `file` naming it.
 * A file that ends inside a message is an `InputError`.
 */
export async function* readFrames(
  input: string | Readable,
  file = typeof input === "string" ? input : undefined,
): AsyncGenerator<Frame> {
  let pending: Buffer = Buffer.alloc(0);
  // Chunks read while a message longer than `pending` is awaited: joined once it is all there, not at
  // every chunk, which copied a large message over and over (quadratic in its length).
  let waiting: Buffer[] = [];
  let waitingBytes = 0;
  let needed = 0;
  let offset = 0;
  let index = 0;
  for await (const chunk of typeof input === "string" ? createReadStream(input) : input) {
    waiting.push(chunk as Buffer);
    waitingBytes += (chunk as Buffer).length;
    if (pending.length + waitingBytes < needed) continue;
    pending =
      pending.length === 0 && waiting.length === 1 ? waiting[0]! : Buffer.concat([pending, ...waiting]);
    waiting = [];
    waitingBytes = 0;
    needed = 0;
    let at = 0;
    while (pending.length - at >= 4) {
      const length = pending.readUInt32BE(at);
      if (pending.length - at - 4 < length) {
        needed = 4 + length;
        break;
      }
      index++;
      yield { bytes: pending.subarray(at + 4, at + 4 + length), index, offset: offset + at };
      at += 4 + length;
    }
    offset += at;
    pending = pending.subarray(at);
  }
  if (waiting.length > 0) pending = Buffer.concat([pending, ...waiting]);
  if (pending.length > 0) {
    const expected = pending.length >= 4 ? ` of ${pending.readUInt32BE(0)} bytes` : "";
    throw badTrace(
      { file },
      "",
      `the file ends inside message ${index + 1}${expected} at byte ${offset}: it was cut while being written, or is not a length-prefixed export`,
    );
  }
}

/**
 * What one message holds: zstd-compressed or not, then an `ExportTraceServiceRequest` as OTLP/JSON
 * (`format: json`) or protobuf (`format: proto`), decoded with the receiver's own protobuf decoder.
 */
export function decodeMessage(bytes: Uint8Array, source: IngestSource, xxh: XXHashAPI): unknown {
  let payload = bytes;
  if (
    payload.length >= 4 &&
    Buffer.from(payload.buffer, payload.byteOffset, 4).readUInt32LE(0) === ZSTD_MAGIC
  ) {
    payload = unzstd(payload, source, xxh);
  }
  const first = firstNonBlank(payload);
  if (first === 0x7b) {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
    return parseJson(jsonText(text, source), source);
  }
  return decodeProto(payload, source);
}

/**
 * The most a compressed message may hold once decompressed. A zstd frame can declare, and expand to,
 * far more than the file holds (a few kilobytes of zeros make gigabytes): decompression stops here
 * instead of taking the machine's memory. The collector's receivers take requests of 4 MiB (gRPC) to
 * 20 MiB (HTTP) by default, so a real batch is far below it.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * A zstd-compressed message, decompressed block by block (fzstd's streaming decoder) so that no more
 * than `MAX_MESSAGE_BYTES` is ever held, whatever size its frame header declares. Concatenated and
 * skippable frames are read as zstd reads them.
 */
function unzstd(bytes: Uint8Array, source: IngestSource, xxh: XXHashAPI): Uint8Array {
  const blocks: Uint8Array[] = [];
  let total = 0;
  const zstd = new CheckedZstd(xxh, (block) => {
    total += block.length;
    if (total > MAX_MESSAGE_BYTES) throw TOO_LARGE;
    blocks.push(block);
  });
  const message = source.line ?? 1;
  let frames = 0;
  try {
    for (let at = 0; at < bytes.length; ) {
      const frame = frameAt(bytes, at);
      frames++;
      zstd.push(bytes.subarray(at, frame?.end), frame === undefined || frame.end === bytes.length);
      if (frame === undefined) throw new Error("unexpected EOF");
      if (!zstd.endFrame(frame)) {
        throw badTrace(
          source,
          "",
          `message ${message}: zstd frame ${frames} does not match its checksum: its bytes changed after they were written`,
        );
      }
      at = frame.end;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err !== TOO_LARGE) throw badTrace(source, "", `not a valid zstd frame: ${(err as Error).message}`);
    throw badTrace(
      source,
      "",
      `message ${message} decompresses to more than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB, more than an export batch holds: trailcheck stops there (a corrupt or hostile file)`,
    );
  }
  return Buffer.concat(blocks, total);
}

/** Thrown out of the decompressor to stop it. */
const TOO_LARGE = Symbol("too large");

/** A message's JSON as text, or an `InputError` when it is longer than a JavaScript string can be. */
function jsonText(bytes: Buffer, source: IngestSource): string {
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    throw badTrace(
      source,
      "",
      `message ${source.line ?? 1} holds ${bytes.length} bytes of JSON, more than trailcheck can parse as one document (${constants.MAX_STRING_LENGTH} bytes)`,
    );
  }
  return bytes.toString("utf8");
}

/** A protobuf `ExportTraceServiceRequest` in its OTLP/JSON form, or an `InputError` naming the place. */
export function decodeProto(bytes: Uint8Array, source: IngestSource): unknown {
  try {
    return decodeTraceRequest(bytes);
  } catch (err) {
    throw badTrace(
      source,
      "",
      `not an OTLP ExportTraceServiceRequest in protobuf: ${(err as Error).message}`,
    );
  }
}

type ProtoReadOptions = OtlpReadOptions & { readonly file?: string };

/**
 * Reads a length-prefixed collector file export (`format: proto` and/or `compression: zstd`). Records
 * come out in file order; `line` in their source is the message number.
 */
export async function* readCollectorProto(
  input: string | Readable,
  options: ProtoReadOptions = {},
): AsyncGenerator<SpanRecord> {
  for await (const batch of readCollectorProtoBatches(input, options)) yield* batch;
}

/** `readCollectorProto` a message at a time: the records of each message that has any. */
export async function* readCollectorProtoBatches(
  input: string | Readable,
  options: ProtoReadOptions = {},
): AsyncGenerator<SpanRecord[]> {
  const file = options.file ?? (typeof input === "string" ? input : undefined);
  const xxh = await loadXxhash();
  for await (const frame of readFrames(input, file)) {
    const source = { file, line: frame.index };
    const body = decodeMessage(frame.bytes, source, xxh);
    const records = guardDepth(source, () => recordsFromOtlpJson(body, source, options));
    if (records.length > 0) yield records;
  }
}
