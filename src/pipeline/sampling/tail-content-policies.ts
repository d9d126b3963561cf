import { DEFAULT_OTTL_ERROR_MODE_IGNORE, gateOn } from "../feature-gates.js";
import { type BoolExpr, conditionEvaluator, type OttlEnv, safeParseCondition } from "../ottl/index.js";
import { configError, type ProcessorContext, reportUnknown } from "../processor.js";
import { W3C_VALUE } from "./otel-tracestate.js";
import type { TailPolicy } from "./tail-policies.js";

type Cfg = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * `ottl_condition` (ottl.go): sampled when a `span` condition holds for some span, or a `spanevent`
 * condition for some event of a span, in the order the spans arrived. An evaluation error is an error
 * of the policy (no decision) under `propagate`, the default (`ignore` behind the gate below); under
 * `ignore` or `silent` the condition counts as false.
 */
export function ottlCondition(name: string, cfg: Cfg, ctx: ProcessorContext, field: string): TailPolicy {
  if (strings(cfg["span"]).length === 0 && strings(cfg["spanevent"]).length === 0) {
    // NewOTTLConditionFilter refuses it, and the collector does not start.
    configError(ctx, `${field}.ottl_condition`, `policy "${name}": expected at least one OTTL condition`);
  }
  const mode =
    typeof cfg["error_mode"] === "string" && cfg["error_mode"] !== ""
      ? cfg["error_mode"]
      : gateOn(ctx, DEFAULT_OTTL_ERROR_MODE_IGNORE)
        ? "ignore"
        : "propagate";
  const compile = (kind: "span" | "spanevent"): BoolExpr[] =>
    strings(cfg[kind]).flatMap((text, i) => {
      const parsed = safeParseCondition(text, kind);
      if (parsed.ok) return [parsed.condition];
      reportUnknown(
        ctx,
        `${field}.ottl_condition.${kind}[${i}]: ${text}`,
        `${parsed.error.message}; the condition is not evaluated, so traces it would sample are reported lost`,
      );
      return [];
    });
  const spanConditions = compile("span");
  const eventConditions = compile("spanevent");
  const evaluate = conditionEvaluator((err) =>
    reportUnknown(
      ctx,
      `${field}.ottl_condition`,
      `evaluation failed (${err.message}); with error_mode ${mode} the policy ${mode === "propagate" ? "makes no decision" : "treats the condition as false"}`,
    ),
  );
  // An evaluation error: no decision under propagate, a false condition under ignore and silent.
  const holds = (expr: BoolExpr, env: OttlEnv): boolean | undefined =>
    evaluate(expr, env) ?? (mode === "propagate" ? undefined : false);
  return {
    name,
    type: "ottl_condition",
    isDrop: false,
    evaluate(_id, spans) {
      for (const record of spans) {
        for (const c of spanConditions) {
          const ok = holds(c, { record });
          if (ok === undefined) return undefined;
          if (ok) return "sampled";
        }
        for (const event of record.events) {
          for (const c of eventConditions) {
            const ok = holds(c, { record, event });
            if (ok === undefined) return undefined;
            if (ok) return "sampled";
          }
        }
      }
      return "not_sampled";
    },
  };
}

/**
 * `trace_state` (trace_state_filter.go): sampled when a span's W3C tracestate parses and the value of
 * `key` is one of `values` (empty values, and pairs of 256 characters or more, never match).
 */
export function traceStatePolicy(name: string, cfg: Cfg): TailPolicy {
  const key = String(cfg["key"] ?? "");
  const values = new Set(strings(cfg["values"]).filter((v) => v !== "" && key.length + v.length < 256));
  return {
    name,
    type: "trace_state",
    isDrop: false,
    evaluate: (_id, spans) =>
      spans.some((s) => {
        const state = parseTraceState(s.traceState ?? "");
        return state !== undefined && values.has(state.get(key) ?? "");
      })
        ? "sampled"
        : "not_sampled",
  };
}

const SIMPLE_KEY = /^[a-z][_0-9a-z\-*/]{0,255}$/;
const TENANT_KEY = /^[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13}$/;

/**
 * W3C trace-context `tracestate` as OpenTelemetry Go's `ParseTraceState` reads it: comma-separated
 * `key=value` members (blank ones skipped), at most 32, keys unique and well formed; anything else is
 * an error (undefined).
 */
export function parseTraceState(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  if (text === "") return out;
  for (const raw of text.split(",")) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (member === "") continue;
    const eq = member.indexOf("=");
    if (eq < 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!(SIMPLE_KEY.test(key) || TENANT_KEY.test(key)) || !W3C_VALUE.test(value) || out.has(key))
      return undefined;
    out.set(key, value);
    if (out.size > 32) return undefined;
  }
  return out;
}
