import type { LoggingConfig } from "../model/logging-config.js";
import { processorName } from "../model/processors.js";
import { PipelineConfigError, type ProcessorContext } from "./processor.js";
import { compileProcessor } from "./registry.js";
import { compileRouter } from "./routing.js";

/** A setting the collector would refuse, with its path in the logging config. */
export interface ConfigRefusal {
  /** `["streams", 0, "processors", 1, "redaction", "blocked_values", 2]`. */
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Compiles every stream's match and processors without any record, as the collector does when it
 * starts, so that a config it would refuse (a pattern Go's regexp rejects, a policy without a name…) is
 * found when the config is read and can be reported where it is written. Returns the first refusal.
 */
export function findConfigRefusal(config: LoggingConfig): ConfigRefusal | undefined {
  const scratch = (stage: string, stream?: string): ProcessorContext => ({
    stage,
    stream,
    losses: [],
    unknown: [],
  });
  for (const [i, stream] of config.streams.entries()) {
    try {
      compileRouter([stream], scratch("routing"));
    } catch (err) {
      if (!(err instanceof PipelineConfigError)) throw err;
      const setting = err.field.slice(err.field.lastIndexOf(".") + 1);
      return { path: ["streams", i, "match", setting], message: err.reason };
    }
    for (const [j, p] of stream.processors.entries()) {
      const stage = `${stream.name}/${processorName(p)}[${j}]`;
      try {
        compileProcessor(p, scratch(stage, stream.name));
      } catch (err) {
        if (!(err instanceof PipelineConfigError)) throw err;
        return { path: ["streams", i, "processors", j, ...fieldSegments(err.field)], message: err.reason };
      }
    }
  }
  return undefined;
}

/** `a.b[2].c` → `["a", "b", 2, "c"]`. */
export function fieldSegments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
