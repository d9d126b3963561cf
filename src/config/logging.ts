import { InputError } from "../errors.js";
import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";
import { findConfigRefusal } from "../pipeline/check-config.js";
import { type LocatedYaml, loadLocatedYaml, parseLocatedYaml } from "../yaml/load.js";

/**
 * Checks what the schema can't: unique stream names, and everything the collector checks when it starts
 * (patterns Go's regexp accepts, processor settings), each reported where it is written.
 */
function validate({ value: config, locate }: LocatedYaml<LoggingConfig>): LoggingConfig {
  const seen = new Set<string>();
  config.streams.forEach((stream, i) => {
    if (seen.has(stream.name)) {
      throw new InputError(
        "bad-logging-config",
        `stream name '${stream.name}' is used twice`,
        locate(["streams", i, "name"]),
      );
    }
    seen.add(stream.name);
  });
  const refusal = findConfigRefusal(config);
  if (refusal) throw new InputError("bad-logging-config", refusal.message, locate(refusal.path));
  return config;
}

/** Reads a native logging config: streams, processors, retention, integrity. */
export async function loadLoggingConfig(file: string): Promise<LoggingConfig> {
  return validate(await loadLocatedYaml(file, LoggingConfigSchema, "bad-logging-config"));
}

export function parseLoggingConfig(text: string, file = "<logging config>"): LoggingConfig {
  return validate(parseLocatedYaml(text, LoggingConfigSchema, file, "bad-logging-config"));
}
