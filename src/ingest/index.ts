export { readCollectorJsonl } from "./collector-jsonl.js";
export { detectFormat, detectFormatFromHead } from "./detect.js";
export { isTraceFormat, TRACE_FORMATS, type TraceFormat, WHOLE_DOCUMENT_LIMIT } from "./formats.js";
export { isoToUnixNanos } from "./iso-time.js";
export { OpenAIAgentsAssembler, recordsFromOpenAIAgents } from "./openai-agents.js";
export { readOpenAIAgentsFile } from "./openai-agents-file.js";
export { type OtlpReadOptions, recordsFromOtlpJson } from "./otlp-json.js";
export { readOtlpJsonFile, streamOtlpJsonFile } from "./otlp-json-file.js";
export { anyValue, attributesFromOtlp } from "./otlp-values.js";
export {
  listTraceIds,
  type ReadOptions,
  readRecordBatches,
  readRecords,
  readRuns,
} from "./read-records.js";
export type { IngestSource } from "./source.js";
export {
  readTrailcheckJsonl,
  recordFromTrailcheckJson,
  recordsFromTrailcheckJsonl,
  serializeRecordsJsonl,
} from "./trailcheck-jsonl.js";
