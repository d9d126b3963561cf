import { readFile } from "node:fs/promises";
import protobuf from "protobufjs";
import type { SpanRecord } from "../model/record.js";
import { decodeProto } from "./collector-proto.js";
import { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
import { badTrace, guardDepth, type IngestSource } from "./source.js";

/**
 * Reads an OTLP protobuf trace file (`.pb`, `.binpb`): one `ExportTraceServiceRequest`, as the S3
 * exporter's `otlp_proto` marshaler writes each object, decoded with the receiver's decoder one
 * `resource_spans` at a time, so memory holds the file's bytes and one resource's spans decoded, not
 * the whole request decoded (a 64 MB request took 0.7 GB).
 */
export async function* readOtlpProtoFile(
  file: string,
  options: OtlpReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const source = { file };
  for (const part of resourceSpansParts(await readFile(file), source)) {
    const body = decodeProto(part, source);
    yield* guardDepth(source, () => recordsFromOtlpJson(body, source, options));
  }
}

/**
 * Each `resource_spans` (field 1) of a request, cut out with its tag: a request of its own. Protobuf
 * appends the repeated fields of concatenated messages, so decoding the parts one by one gives what
 * decoding the whole gives, in the same order. Other fields are skipped, as proto3 readers skip them.
 */
function* resourceSpansParts(bytes: Uint8Array, source: IngestSource): Generator<Uint8Array> {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const start = reader.pos;
    let end: number;
    try {
      const tag = reader.uint32();
      if (tag === 0x0a) reader.skip(reader.uint32());
      else reader.skipType(tag & 7);
      end = reader.pos;
      if (tag !== 0x0a) continue;
    } catch (err) {
      throw badTrace(
        source,
        "",
        `not an OTLP ExportTraceServiceRequest in protobuf: ${(err as Error).message} (the field at byte ${start})`,
      );
    }
    yield bytes.subarray(start, end);
  }
}
