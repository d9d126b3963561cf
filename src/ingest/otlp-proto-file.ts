import { readFile } from "node:fs/promises";
import type { SpanRecord } from "../model/record.js";
import { decodeProto } from "./collector-proto.js";
import { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
import { guardDepth } from "./source.js";

/**
 * Reads an OTLP protobuf trace file (`.pb`, `.binpb`): one `ExportTraceServiceRequest`, as the S3
 * exporter's `otlp_proto` marshaler writes each object, decoded with the receiver's decoder.
 */
export async function* readOtlpProtoFile(
  file: string,
  options: OtlpReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const source = { file };
  const body = decodeProto(await readFile(file), source);
  yield* guardDepth(source, () => recordsFromOtlpJson(body, source, options));
}
