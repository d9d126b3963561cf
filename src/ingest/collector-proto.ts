import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { decompress } from "fzstd";
import type { SpanRecord } from "../model/record.js";
import { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
import { decodeTraceRequest } from "./otlp-proto.js";
import { badTrace, guardDepth, type IngestSource, parseJson } from "./source.js";

const ZSTD_MAGIC = 0xfd2fb528;

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
  let offset = 0;
  let index = 0;
  for await (const chunk of typeof input === "string" ? createReadStream(input) : input) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    let at = 0;
    while (pending.length - at >= 4) {
      const length = pending.readUInt32BE(at);
      if (pending.length - at - 4 < length) break;
      index++;
      yield { bytes: pending.subarray(at + 4, at + 4 + length), index, offset: offset + at };
      at += 4 + length;
    }
    offset += at;
    pending = pending.subarray(at);
  }
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
export function decodeMessage(bytes: Uint8Array, source: IngestSource): unknown {
  let payload = bytes;
  if (
    payload.length >= 4 &&
    Buffer.from(payload.buffer, payload.byteOffset, 4).readUInt32LE(0) === ZSTD_MAGIC
  ) {
    try {
      payload = decompress(payload);
    } catch (err) {
      throw badTrace(source, "", `not a valid zstd frame: ${(err as Error).message}`);
    }
  }
  const first = payload.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b)
    return parseJson(
      Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString("utf8"),
      source,
    );
  return decodeProto(payload, source);
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
  for await (const frame of readFrames(input, file)) {
    const source = { file, line: frame.index };
    const body = decodeMessage(frame.bytes, source);
    const records = guardDepth(source, () => recordsFromOtlpJson(body, source, options));
    if (records.length > 0) yield records;
  }
}
