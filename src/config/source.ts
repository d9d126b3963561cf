import { InputError } from "../errors.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { UnknownConstruct } from "../pipeline/index.js";
import { loadLoggingConfig } from "./logging.js";

/** Where a logging config comes from: a native file, or collector config files plus a storage side file. */
export interface LoggingSource {
  logging?: string;
  otelcol?: string[];
  storage?: string;
}

export interface LoadedLogging {
  readonly config: LoggingConfig;
  /** Constructs the reader could not model (collector configs only). */
  readonly unknown: UnknownConstruct[];
  /** The file that names the config, for messages and for resolving its `compliance`. */
  readonly label: string;
}

/** Reads either kind of logging config; exactly one of `logging` and `otelcol` must be given. */
export async function loadLoggingSource(source: LoggingSource): Promise<LoadedLogging> {
  const otelcol = source.otelcol ?? [];
  if (source.logging && otelcol.length > 0) {
    throw new InputError("bad-option", "give either --logging or --otelcol, not both");
  }
  if (otelcol.length > 0) {
    // Loaded here, not at start-up: the collector reader is a fifth of the modules a check loads, and a
    // native logging config needs none of it.
    const { loadCollectorConfig } = await import("../otelcol/index.js");
    const built = await loadCollectorConfig(otelcol, source.storage ? { storage: source.storage } : {});
    return { config: built.config, unknown: built.unknown, label: otelcol.join(", ") };
  }
  if (!source.logging)
    throw new InputError("bad-option", "a logging config is required: --logging FILE or --otelcol FILE");
  if (source.storage) throw new InputError("bad-option", "--storage goes with --otelcol");
  return { config: await loadLoggingConfig(source.logging), unknown: [], label: source.logging };
}
