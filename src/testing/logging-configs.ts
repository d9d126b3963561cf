import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";

/** Logging configs for tests, with the model's defaults filled in. */
export function config(input: unknown): LoggingConfig {
  return LoggingConfigSchema.parse(input);
}

/** One stream that takes everything, with the given processors. */
export function oneStream(processors: unknown[], extra: Record<string, unknown> = {}): LoggingConfig {
  return config({ streams: [{ name: "s", processors, ...extra }] });
}
