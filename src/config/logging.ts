import { InputError } from "../errors.js";
import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";
import { loadYaml, parseYaml } from "../yaml/load.js";

/** Checks what the schema can't: unique stream names and regular expressions that compile. */
function validate(config: LoggingConfig, file: string): LoggingConfig {
  const seen = new Set<string>();
  config.streams.forEach((stream, i) => {
    if (seen.has(stream.name)) {
      throw new InputError("bad-logging-config", `stream name '${stream.name}' is used twice`, {
        file,
        field: `streams[${i}].name`,
      });
    }
    seen.add(stream.name);
    if (stream.match.name !== undefined) {
      try {
        new RegExp(stream.match.name);
      } catch (err) {
        throw new InputError("bad-logging-config", `invalid regular expression: ${(err as Error).message}`, {
          file,
          field: `streams[${i}].match.name`,
        });
      }
    }
  });
  return config;
}

/** Reads a native logging config (DESIGN §5). */
export async function loadLoggingConfig(file: string): Promise<LoggingConfig> {
  return validate(await loadYaml(file, LoggingConfigSchema, "bad-logging-config"), file);
}

export function parseLoggingConfig(text: string, file = "<logging config>"): LoggingConfig {
  return validate(parseYaml(text, LoggingConfigSchema, file, "bad-logging-config"), file);
}
