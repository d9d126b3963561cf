import type { ProcessorContext } from "./processor.js";
import type { UnknownConstruct } from "./types.js";

/**
 * Turns `invert_match` decisions into plain ones (featureflag.go). Alpha and off until v0.143, on by
 * default from v0.144 (beta), stable (cannot be switched off) from v0.152: the model follows current
 * collectors, and `-processor.tailsamplingprocessor.disableinvertdecisions` models an older one.
 */
export const DISABLE_INVERT_DECISIONS = "processor.tailsamplingprocessor.disableinvertdecisions";

/**
 * Makes `ignore` the default `error_mode` of `ottl_condition` (v0.153, alpha: off unless named;
 * internal/metadata/generated_feature_gates.go, ottl_default_error_mode_test.go).
 */
export const DEFAULT_OTTL_ERROR_MODE_IGNORE = "processor.tailsamplingprocessor.defaultOTTLErrorModeIgnore";

/** The gates whose effect the model carries out, and whether each is on when `feature_gates` is silent. */
const MODELLED: ReadonlyMap<string, boolean> = new Map([
  [DISABLE_INVERT_DECISIONS, true],
  [DEFAULT_OTTL_ERROR_MODE_IGNORE, false],
]);

const DEFAULTS_ON: ReadonlySet<string> = new Set([...MODELLED].filter(([, on]) => on).map(([id]) => id));

/**
 * The gates switched on by `feature_gates`, read as the collector reads `--feature-gates`
 * (featuregate/flags.go): comma-separated ids, `-id` switches one off, `+id` or `id` on. A gate the model
 * does not carry out is reported, never ignored in silence.
 */
export function resolveFeatureGates(
  entries: readonly string[],
  unknown: { push(construct: UnknownConstruct): unknown },
): ReadonlySet<string> {
  const on = new Set(DEFAULTS_ON);
  for (const entry of entries) {
    for (const raw of entry.split(",")) {
      const text = raw.trim();
      if (text === "") continue;
      const id = text[0] === "-" || text[0] === "+" ? text.slice(1) : text;
      if (!MODELLED.has(id)) {
        unknown.push({
          stage: "feature_gates",
          construct: text,
          message: `feature gate "${id}" is not modelled; its effect on what is kept is unknown`,
        });
      } else if (text[0] === "-") on.delete(id);
      else on.add(id);
    }
  }
  return on;
}

/** Whether a modelled gate is on for this processor (the defaults when compiled outside a pipeline). */
export function gateOn(ctx: ProcessorContext, id: string): boolean {
  return (ctx.featureGates ?? DEFAULTS_ON).has(id);
}
