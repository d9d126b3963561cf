import { type BuildResult, buildLoggingConfig } from "./build.js";
import type { Environment } from "./env-expand.js";
import { readCollectorConfig } from "./read-config.js";
import { parseSourceFile, readSourceFile } from "./source-tree.js";
import { loadStorageFile, type StorageFile, StorageFileSchema } from "./storage.js";

export type { BuildResult } from "./build.js";
export type { Environment } from "./env-expand.js";
export { type StorageEntry, StorageEntrySchema, type StorageFile, StorageFileSchema } from "./storage.js";
export type { OtelcolUnknown, PipelineInfo, ProcessorOrigin, StreamOrigin } from "./types.js";

export interface CollectorConfigOptions {
  /** The storage side file: retention, correlation and integrity per exporter id. */
  storage?: string;
  /** Variables for `${env:VAR}`; `process.env` when not given. */
  env?: Environment;
}

/**
 * Reads one or more OpenTelemetry Collector config files (merged in order, as `otelcol --config a
 * --config b` does) and builds the logging config the engine consumes. Throws InputError (exit 2) for a
 * config the collector itself would reject; everything valid but not modelled is listed in `unknown`.
 */
export async function loadCollectorConfig(
  files: string[],
  options: CollectorConfigOptions = {},
): Promise<BuildResult> {
  const sources = await Promise.all(files.map(readSourceFile));
  const storage = options.storage !== undefined ? await loadStorageFile(options.storage) : undefined;
  return buildLoggingConfig(readCollectorConfig(sources, options.env ?? process.env), storage);
}

/** The same from texts already in memory (tests, `trailcheck.config.yaml` inline configs). */
export function parseCollectorConfig(
  files: readonly { text: string; file: string }[],
  options: { storage?: StorageFile | unknown; env?: Environment } = {},
): BuildResult {
  const sources = files.map((f) => parseSourceFile(f.text, f.file));
  const storage = options.storage !== undefined ? StorageFileSchema.parse(options.storage) : undefined;
  return buildLoggingConfig(readCollectorConfig(sources, options.env ?? {}), storage);
}
