/**
 * trailcheck's public API: the only import path users need. Everything here is pure unless it says
 * it reads files.
 */
export { type Analysis, analyzeConfig, type KindProbability } from "./analyze/analyze.js";
export { loadLoggingConfig, parseLoggingConfig } from "./config/logging.js";
export { loadProject, type Project } from "./config/project.js";
export { type LoggingSource, loadLoggingSource } from "./config/source.js";
export { deriveActions, UNCARRIED_FACTS } from "./conventions/index.js";
export { AgentError, ExitCode, InputError } from "./errors.js";
export {
  listTraceIds,
  readRecords,
  readRuns,
  recordsFromOtlpJson,
  type TraceFormat,
} from "./ingest/index.js";
export * from "./integrity/index.js"; // the writer, exporter and verifiers read and write log directories
export * from "./model/index.js";
export { loadCollectorConfig, parseCollectorConfig } from "./otelcol/index.js";
export { type LossEvent, type StoredRecord, type StoredView, simulate } from "./pipeline/index.js";
export { BUILTIN_PROFILE_NAMES, BUILTIN_PROFILES } from "./profiles/builtin.js";
export { extendProfile, loadProfileFile, resolveProfile } from "./profiles/resolve.js";
export { type CheckOptions, type CheckResult, checkRecords } from "./reconstruct/check.js";
export { type ActionOutcome, compareRun, type FactState, type RunComparison } from "./reconstruct/compare.js";
export * from "./replay/index.js"; // not pure: runs the agent, serves on loopback ports, reads scenario files
export * from "./synth/index.js";
