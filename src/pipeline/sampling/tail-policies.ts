import type { Attributes } from "../../model/attributes.js";
import { TAIL_POLICY_SETTINGS, type TailSamplingPolicy } from "../../model/processors.js";
import type { SpanRecord } from "../../model/record.js";
import { valueType } from "../../model/value-types.js";
import { DISABLE_INVERT_DECISIONS, gateOn } from "../feature-gates.js";
import { type Decoded, decodeGoBool, decodeGoInt64, decodeGoString } from "../go/mapstructure.js";
import { compileGoRegex, isGoRegexError } from "../go/regex.js";
import { configError, type ProcessorContext, reportUnknown, reportUnknownSettings } from "../processor.js";
import { ottlCondition, traceStatePolicy } from "./tail-content-policies.js";
import { bytesLimiting, composite, rateLimiting } from "./tail-limits.js";
import { tailProbabilisticThreshold, tailTraceHash } from "./tail-probabilistic.js";

/** The decisions of the collector's tail-sampling policies (samplingpolicy.Decision). */
export type PolicyDecision = "sampled" | "not_sampled" | "invert_sampled" | "invert_not_sampled" | "dropped";

/** When a policy is evaluated: the decision's recorded time, and whether it only asks (no state kept). */
export interface PolicyContext {
  /** Unix ns: `decision_wait` after the trace's first span arrived, or a late span's arrival. */
  readonly at: bigint;
  /** A what-if evaluation (would a late span have changed it?): rate limits take nothing. */
  readonly probe: boolean;
}

/** A compiled policy: `undefined` from `evaluate` means "no decision" (unsupported type, evaluation error). */
export interface TailPolicy {
  readonly name: string;
  readonly type: string;
  readonly isDrop: boolean;
  /** Content-independent keep probability (always_sample 1, probabilistic p), where one exists. */
  readonly probability?: { value: number; salt: string };
  readonly unsupported?: boolean;
  /** Its decision depends on the traces decided before (rate and byte limits). */
  readonly stateful?: boolean;
  evaluate(traceId: string, spans: readonly SpanRecord[], at: PolicyContext): PolicyDecision | undefined;
}

const DEFAULT_HASH_SALT = "default-hash-seed";

/** A decoded setting, or the collector's refusal to start with it (exit 2, naming the field). */
function decoded<T>(d: Decoded<T>, ctx: ProcessorContext, field: string): T {
  if (!d.ok) configError(ctx, field, d.message);
  return d.value;
}

/** `cfg[name]` decoded into its Go field's type; unset (absent or null) is the field's zero value. */
function setting<T>(
  cfg: Record<string, unknown>,
  name: string,
  decode: (v: unknown, name: string) => Decoded<T>,
  zero: T,
  ctx: ProcessorContext,
  field: string,
): T {
  const v = cfg[name];
  return v === undefined || v === null ? zero : decoded(decode(v, name), ctx, `${field}.${name}`);
}

/**
 * pcommon's typed getters (Value.Str, Value.Int, Value.Bool): a value of another type reads as the zero
 * value, by its pdata type — a double 5.0 is 0 to `Int()`, bytes are "" to `Str()`. An int64 beyond
 * 2^53 (kept as its decimal string) reads as a bigint.
 */
const asStr = (m: Attributes, key: string): string => {
  const v = m[key];
  return typeof v === "string" && valueType(m, key) === "Str" ? v : "";
};
const asInt = (m: Attributes, key: string): number | bigint => {
  const v = m[key];
  if (typeof v === "number") return valueType(m, key) === "Int" ? v : 0;
  return typeof v === "string" && valueType(m, key) === "Int" ? BigInt(v) : 0;
};
const asBool = (m: Attributes, key: string): boolean => m[key] === true;

/** Distinct resources of the buffered spans, in first-seen order (ResourceSpans). */
function resourcesOf(spans: readonly SpanRecord[]): Attributes[] {
  const seen = new Set<Attributes>();
  for (const s of spans) seen.add(s.resource);
  return [...seen];
}

/**
 * `hasResourceOrSpanWithCondition` and its inverted form (util.go). Inverted, a match gives
 * InvertNotSampled (which vetoes every other policy) and no match InvertSampled; behind the
 * disableinvertdecisions gate they are plain NotSampled and Sampled.
 */
function attributeCondition(
  spans: readonly SpanRecord[],
  key: string,
  invert: Invert,
  onResource: (m: Attributes, key: string) => boolean,
  onSpan: (m: Attributes, key: string) => boolean,
): PolicyDecision {
  const resources = resourcesOf(spans);
  if (invert) {
    const [matched, unmatched]: PolicyDecision[] =
      invert === "plain" ? ["not_sampled", "sampled"] : ["invert_not_sampled", "invert_sampled"];
    for (const r of resources) if (key in r && onResource(r, key)) return matched!;
    for (const s of spans) if (key in s.attributes && onSpan(s.attributes, key)) return matched!;
    return unmatched!;
  }
  for (const r of resources) if (key in r && onResource(r, key)) return "sampled";
  for (const s of spans) if (key in s.attributes && onSpan(s.attributes, key)) return "sampled";
  return "not_sampled";
}

/** `invert_match`: off, on with invert decisions, or on behind the gate that makes them plain. */
type Invert = false | "invert" | "plain";

type Cfg = Record<string, unknown>;
const obj = (v: unknown): Cfg => (v && typeof v === "object" ? (v as Cfg) : {});

function invertOf(cfg: Cfg, ctx: ProcessorContext): Invert {
  if (cfg["invert_match"] !== true) return false;
  return gateOn(ctx, DISABLE_INVERT_DECISIONS) ? "plain" : "invert";
}

/** Compiles one policy as the collector's `getPolicyEvaluator` does; `nested` forbids and/drop inside. */
export function compileTailPolicy(
  policy: TailSamplingPolicy,
  ctx: ProcessorContext,
  field: string,
): TailPolicy {
  const { name, type } = policy;
  const cfg = obj(policy[type]);
  const base = { name, type, isDrop: type === "drop" };
  const settings = TAIL_POLICY_SETTINGS[type];
  if (settings) reportUnknownSettings(ctx, cfg, settings, `${field}.${type}`);
  switch (type) {
    case "always_sample":
      return { ...base, probability: { value: 1, salt: "" }, evaluate: () => "sampled" };
    case "latency": {
      const threshold = Number(cfg["threshold_ms"] ?? 0);
      const upper = Number(cfg["upper_threshold_ms"] ?? 0);
      return {
        ...base,
        evaluate(_id, spans, _at) {
          let min = 0n;
          let max = 0n;
          // The running min/max are tested after every span, in arrival order, as latency.go does.
          for (const s of spans) {
            const start = BigInt(s.start);
            const end = BigInt(s.end);
            if (min === 0n || start < min) min = start;
            if (max === 0n || end > max) max = end;
            const ms = Number((max - min) / 1_000_000n);
            if (upper === 0 ? ms >= threshold : threshold < ms && ms <= upper) return "sampled";
          }
          return "not_sampled";
        },
      };
    }
    case "numeric_attribute": {
      const key = setting(cfg, "key", decodeGoString, "", ctx, `${field}.numeric_attribute`);
      // int64 bounds (a float is truncated, as mapstructure decodes it); a zero bound is "not set"
      // (getSharedPolicyEvaluator).
      const minValue = setting(cfg, "min_value", decodeGoInt64, 0, ctx, `${field}.numeric_attribute`);
      const maxValue = setting(cfg, "max_value", decodeGoInt64, 0, ctx, `${field}.numeric_attribute`);
      const min = minValue || Number.MIN_SAFE_INTEGER;
      const max = maxValue || Number.MAX_SAFE_INTEGER;
      if (!minValue && !maxValue) {
        configError(ctx, `${field}.numeric_attribute`, `policy "${name}": set min_value or max_value`);
      }
      const invert = invertOf(cfg, ctx);
      // An unset bound is the int64 limit; a bigint value compares against the bounds as bigints.
      const minBig = minValue ? BigInt(minValue) : -(2n ** 63n);
      const maxBig = maxValue ? BigInt(maxValue) : 2n ** 63n - 1n;
      const inRange = (m: Attributes, k: string) => {
        const v = asInt(m, k);
        return typeof v === "bigint" ? v >= minBig && v <= maxBig : v >= min && v <= max;
      };
      return { ...base, evaluate: (_id, spans) => attributeCondition(spans, key, invert, inRange, inRange) };
    }
    case "probabilistic": {
      const pct = Number(cfg["sampling_percentage"] ?? 0);
      const salt =
        typeof cfg["hash_salt"] === "string" && cfg["hash_salt"] ? cfg["hash_salt"] : DEFAULT_HASH_SALT;
      const threshold = tailProbabilisticThreshold(pct / 100);
      return {
        ...base,
        probability: { value: Math.min(1, Math.max(0, pct / 100)), salt },
        evaluate: (id) => (tailTraceHash(salt, id) <= threshold ? "sampled" : "not_sampled"),
      };
    }
    case "status_code": {
      const codes = (Array.isArray(cfg["status_codes"]) ? cfg["status_codes"] : []) as unknown[];
      if (codes.length === 0)
        configError(ctx, `${field}.status_code`, `policy "${name}": expected at least one status code`);
      const wanted = new Set<string>();
      for (const c of codes) {
        if (c !== "OK" && c !== "ERROR" && c !== "UNSET") {
          configError(
            ctx,
            `${field}.status_code`,
            `policy "${name}": unknown status code ${JSON.stringify(c)}, supported: OK, ERROR, UNSET`,
          );
        }
        wanted.add(c.toLowerCase());
      }
      return {
        ...base,
        evaluate: (_id, spans) => (spans.some((s) => wanted.has(s.status.code)) ? "sampled" : "not_sampled"),
      };
    }
    case "string_attribute": {
      const key = setting(cfg, "key", decodeGoString, "", ctx, `${field}.string_attribute`);
      const values = (Array.isArray(cfg["values"]) ? (cfg["values"] as unknown[]) : []).map((v, i) =>
        decoded(decodeGoString(v, `values[${i}]`), ctx, `${field}.string_attribute.values[${i}]`),
      );
      const invert = invertOf(cfg, ctx);
      let matcher: (s: string) => boolean;
      if (cfg["enabled_regex_matching"] === true) {
        const res = values.map((v, i) => {
          const re = compileGoRegex(v);
          if (isGoRegexError(re))
            configError(ctx, `${field}.string_attribute.values[${i}]`, `policy "${name}": ${re.error}`);
          return re;
        });
        matcher = (s) => res.some((re) => re.test(s));
      } else {
        const set = new Set(values.filter((v) => v !== ""));
        matcher = (s) => set.has(s);
      }
      const onResource = (m: Attributes, k: string) => matcher(asStr(m, k));
      const onSpan = (m: Attributes, k: string) => {
        const v = asStr(m, k);
        return v.length > 0 && matcher(v);
      };
      return {
        ...base,
        evaluate: (_id, spans) => attributeCondition(spans, key, invert, onResource, onSpan),
      };
    }
    case "boolean_attribute": {
      const key = setting(cfg, "key", decodeGoString, "", ctx, `${field}.boolean_attribute`);
      const value = setting(cfg, "value", decodeGoBool, false, ctx, `${field}.boolean_attribute`);
      const invert = invertOf(cfg, ctx);
      const is = (m: Attributes, k: string) => asBool(m, k) === value;
      return { ...base, evaluate: (_id, spans) => attributeCondition(spans, key, invert, is, is) };
    }
    case "and":
    case "drop": {
      const listKey = type === "and" ? "and_sub_policy" : "drop_sub_policy";
      const subs = (Array.isArray(cfg[listKey]) ? cfg[listKey] : []) as TailSamplingPolicy[];
      const compiled = subs.map((sub, i) => {
        return sharedOnly(sub, ctx, `${field}.${type}.${listKey}[${i}]`);
      });
      const result: PolicyDecision = type === "and" ? "sampled" : "dropped";
      return {
        ...base,
        stateful: compiled.some((c) => c.stateful),
        evaluate(id, spans, at) {
          for (const sub of compiled) {
            const d = sub.evaluate(id, spans, at);
            if (d === undefined) return undefined; // an error in a sub-policy is an error of the whole
            if (d === "not_sampled" || d === "invert_not_sampled") return "not_sampled";
          }
          return result;
        },
      };
    }
    case "span_count": {
      // span_count_sampler.go: a zero max_spans means no upper bound.
      const min = Math.trunc(Number(cfg["min_spans"] ?? 0));
      const max = Math.trunc(Number(cfg["max_spans"] ?? 0));
      return {
        ...base,
        evaluate: (_id, spans) =>
          spans.length >= min && (max === 0 || spans.length <= max) ? "sampled" : "not_sampled",
      };
    }
    case "rate_limiting":
      return rateLimiting(name, cfg);
    case "bytes_limiting":
      return bytesLimiting(name, cfg, ctx, field);
    case "ottl_condition":
      return ottlCondition(name, cfg, ctx, field);
    case "trace_state":
      return traceStatePolicy(name, cfg);
    case "not": {
      // not.go: Sampled and NotSampled swap; anything else (an error) passes through.
      const sub = obj(cfg["not_sub_policy"]) as TailSamplingPolicy;
      const inner = sharedOnly(sub, ctx, `${field}.not.not_sub_policy`);
      return {
        ...base,
        stateful: inner.stateful,
        evaluate(id, spans, at) {
          const d = inner.evaluate(id, spans, at);
          return d === "sampled" ? "not_sampled" : d === "not_sampled" ? "sampled" : d;
        },
      };
    }
    case "composite": {
      const subs = (
        Array.isArray(cfg["composite_sub_policy"]) ? cfg["composite_sub_policy"] : []
      ) as TailSamplingPolicy[];
      const compiled = subs.map((sub, i) => {
        const at = `${field}.composite.composite_sub_policy[${i}]`;
        return sub.type === "and" ? compileTailPolicy(sub, ctx, at) : sharedOnly(sub, ctx, at);
      });
      return composite(name, compiled, cfg);
    }
    default:
      return unsupported(policy, ctx, field, "is not modelled");
  }
}

/** Policies that combine others (and, drop, composite, not) can't sit inside and, drop, not or composite. */
function sharedOnly(sub: TailSamplingPolicy, ctx: ProcessorContext, field: string): TailPolicy {
  if (["and", "drop", "composite", "not"].includes(sub.type)) {
    return unsupported(sub, ctx, field, "is not allowed as a sub-policy");
  }
  return compileTailPolicy(sub, ctx, field);
}

function unsupported(
  policy: TailSamplingPolicy,
  ctx: ProcessorContext,
  field: string,
  why: string,
): TailPolicy {
  reportUnknown(
    ctx,
    `${field} (${policy.type} policy "${policy.name}")`,
    `tail_sampling policy type ${policy.type} ${why}; it is treated as never sampling, so traces it would keep are reported lost`,
  );
  return {
    name: policy.name,
    type: policy.type,
    isDrop: false,
    unsupported: true,
    evaluate: () => undefined,
  };
}
