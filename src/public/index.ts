/**
 * `trailcheck`: check recorded agent runs against a logging config, analyze a config alone, read trace
 * files and collector configs, and the model's types. Pure unless a function says it reads files.
 * Every name is listed on purpose; `public/api.test.ts` pins them.
 */
export {
  type Analysis,
  analyzeConfig,
  type KindProbability,
  type StreamAnalysis,
} from "../analyze/analyze.js";
export { loadLoggingConfig, parseLoggingConfig } from "../config/logging.js";
export { type LoadedLogging, type LoggingSource, loadLoggingSource } from "../config/source.js";
export { deriveActions } from "../conventions/index.js";
export { UNCARRIED_FACTS } from "../conventions/uncarried.js";
export { AgentError, ExitCode, InputError, type Location } from "../errors.js";
export { TRACE_FORMATS, type TraceFormat } from "../ingest/formats.js";
export { listTraceIds, type ReadOptions, readRecords, readRuns } from "../ingest/index.js";
export { recordsFromOtlpJson } from "../ingest/otlp-json.js";
export {
  type Action,
  type ActionKind,
  ActionKindSchema,
  ActionSchema,
  FACTS_BY_KIND,
  type FactName,
  FactNameSchema,
  type RequestedToolCall,
} from "../model/action.js";
export type { Attributes, AttributeValue } from "../model/attributes.js";
export { formatDuration, parseDuration } from "../model/duration.js";
export {
  CAUSES,
  type Cause,
  CauseSchema,
  type Gap,
  GapSchema,
  type RunVerdict,
  RunVerdictSchema,
  type Severity,
} from "../model/gap.js";
export {
  type CorrelationField,
  type Integrity,
  type LoggingConfig,
  LoggingConfigSchema,
  type SdkExport,
  type Stream,
} from "../model/logging-config.js";
export { PROCESSOR_NAMES, type Processor, type ProcessorName } from "../model/processors.js";
export { type Profile, type ProfileInput, ProfileInputSchema, ProfileSchema } from "../model/profile.js";
export {
  type Convention,
  LAYER_KINDS,
  type LayerKind,
  type SpanEvent,
  type SpanRecord,
  SpanRecordSchema,
  type Status,
} from "../model/record.js";
export { groupRuns, type Run } from "../model/run.js";
export { NS_PER_DAY, NS_PER_MS, NS_PER_SECOND, toNanos, type UnixNano } from "../model/time.js";
export { type CollectorConfigOptions, loadCollectorConfig, parseCollectorConfig } from "../otelcol/index.js";
export type { StorageFile } from "../otelcol/storage.js";
export { simulate } from "../pipeline/simulate.js";
export type { LossEvent, StoredRecord, StoredView } from "../pipeline/types.js";
export { BUILTIN_PROFILE_NAMES, BUILTIN_PROFILES } from "../profiles/builtin.js";
export { extendProfile, loadProfileFile, resolveProfile } from "../profiles/resolve.js";
export { type CheckOptions, type CheckResult, checkRecords } from "../reconstruct/check.js";
export {
  type ActionOutcome,
  compareRun,
  type FactState,
  type RunComparison,
} from "../reconstruct/compare.js";
