import { OttlRefusal, OttlRuntimeError, OttlSyntaxError } from "../ottl/index.js";
import { configError, type ProcessorContext, reportUnknown } from "../processor.js";

/** How a processor's OTTL copes with statements it cannot parse or evaluate. */
export interface OttlGuard {
  /** Parses, or reports the expression as unknown and returns undefined. */
  parse<T>(field: string, text: string, parse: () => T, effect: string): T | undefined;
  /** Evaluates; an evaluation error stops the check under `propagate`, else is reported once and treated as `fallback`. */
  run<T>(field: string, text: string, evaluate: () => T, fallback: T): T;
}

export function ottlGuard(
  ctx: ProcessorContext,
  processor: string,
  errorMode: string | undefined,
): OttlGuard {
  const mode = errorMode ?? "propagate";
  const reported = new Set<string>();
  return {
    parse(field, text, parse, effect) {
      try {
        return parse();
      } catch (err) {
        if (!(err instanceof OttlSyntaxError)) throw err;
        if (err instanceof OttlRefusal)
          configError(ctx, `${processor}.${field}`, `${err.message} in "${text}"`);
        reportUnknown(ctx, `${processor}.${field}: ${text}`, `${err.message}; ${effect}`);
        return undefined;
      }
    },
    run(field, text, evaluate, fallback) {
      try {
        return evaluate();
      } catch (err) {
        if (!(err instanceof OttlRuntimeError)) throw err;
        if (mode === "propagate") {
          configError(
            ctx,
            `${processor}.${field}`,
            `${JSON.stringify(text)} failed: ${err.message} (error_mode: propagate)`,
          );
        }
        if (!reported.has(field)) {
          reported.add(field);
          reportUnknown(
            ctx,
            `${processor}.${field}: ${text}`,
            `evaluation failed (${err.message}); with error_mode ${mode} the collector skips it, so its effect is unknown`,
          );
        }
        return fallback;
      }
    },
  };
}
