import { InputError } from "../errors.js";
import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";
import { carryTypesDeep, noteType } from "../model/value-types.js";
import { findConfigRefusal } from "../pipeline/check-config.js";
import { findFloatLiterals } from "../yaml/float-literals.js";
import { type AfterParse, type LocatedYaml, loadLocatedYaml, parseLocatedYaml } from "../yaml/load.js";

/**
 * A number written as a float (`value: 5.0`) is a Double where a processor writes it as an attribute,
 * as in the collector (yaml.v3 reads a float64, Value.FromRaw makes a Double of it): noted beside the
 * map that holds it (value-types.ts), and carried onto the validated config.
 */
const keepFloatLiterals: AfterParse = (doc, plain, parsed) => {
  findFloatLiterals(doc, plain, (container, key) => noteType(container as never, key, "Double"));
  carryTypesDeep(plain, parsed);
};

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
  return validate(await loadLocatedYaml(file, LoggingConfigSchema, "bad-logging-config", keepFloatLiterals));
}

export function parseLoggingConfig(text: string, file = "<logging config>"): LoggingConfig {
  return validate(parseLocatedYaml(text, LoggingConfigSchema, file, "bad-logging-config", keepFloatLiterals));
}
