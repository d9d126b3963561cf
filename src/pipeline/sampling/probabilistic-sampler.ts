import type { z } from "zod";
import type { AttributeValue } from "../../model/attributes.js";
import type { ProbabilisticSamplerSchema } from "../../model/processors.js";
import type { SpanRecord } from "../../model/record.js";
import {
  type Emit,
  type ProcessorContext,
  RECORD,
  recordLoss,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { fnv1a32, hex, le32, traceIdBytes } from "./hash.js";
import { samplingTraceState } from "./otel-tracestate.js";
import {
  MIN_SAMPLING_PROBABILITY,
  NEVER_SAMPLE_THRESHOLD,
  probabilityToThreshold,
  shouldSample,
  thresholdProbability,
  thresholdTValue,
  traceIdRandomness,
} from "./sampling-threshold.js";

export type ProbabilisticSamplerSettings = z.infer<typeof ProbabilisticSamplerSchema>;

const NUM_HASH_BUCKETS = 0x4000;
const BIT_MASK_HASH_BUCKETS = NUM_HASH_BUCKETS - 1;
/** `percentageScaleFactor = numHashBuckets / 100.0`, as the float32 it becomes next to a float32 percent. */
const PERCENTAGE_SCALE_FACTOR_F32 = Math.fround(NUM_HASH_BUCKETS / 100);
const DEFAULT_PRECISION = 4;

/** A per-trace decision of the sampler, with the arithmetic that led to it. */
export interface TraceDecision {
  readonly keep: boolean;
  readonly detail: string;
}

export interface ProbabilisticSampler {
  readonly mode: "hash_seed" | "proportional" | "equalizing";
  /** The probability a trace is kept when no `sampling.priority` applies. */
  readonly keepProbability: number;
  readonly description: string;
  /** The decision for a span of this trace that carries this tracestate (and no `sampling.priority`). */
  decide(traceId: string, traceState?: string): TraceDecision;
}

/**
 * Builds the sampler as the collector's `makeSampler` does (sampler_mode.go). An unset `mode` is
 * `hash_seed` whatever the seed: `defaultMode` is HashSeed in every release (collector-contrib #36802,
 * README fixed by #37536); the README's earlier "proportional unless hash_seed is set" never shipped.
 */
export function makeProbabilisticSampler(settings: ProbabilisticSamplerSettings): ProbabilisticSampler {
  // sampling_percentage is a float32 in the collector's config.
  let pct = Math.fround(settings.sampling_percentage);
  if (pct > 100) pct = 100;
  const hashSeed = (settings.hash_seed ?? 0) >>> 0;
  const mode = settings.mode ?? "hash_seed";
  const failClosed = settings.fail_closed ?? true;
  const precision = settings.sampling_precision ?? DEFAULT_PRECISION;
  const pctText = `${settings.sampling_percentage}%`;

  /** commonShouldSampleLogic: an error of randomness or tracestate is settled by fail_closed alone. */
  const failed = (why: string): TraceDecision => ({
    keep: !failClosed,
    detail: `${why}; fail_closed ${failClosed} ${failClosed ? "drops" : "keeps"} it`,
  });
  const NO_RANDOMNESS = "the trace id is all zeros (no randomness)";

  if (pct === 0) return never(mode, `sampling_percentage 0 keeps nothing`, failed);
  let ratio = pct / 100;
  if (ratio < MIN_SAMPLING_PROBABILITY) ratio = MIN_SAMPLING_PROBABILITY;

  if (mode === "hash_seed") {
    // uint32(pct * percentageScaleFactor): float32 multiplication, truncated toward zero.
    const scaled = Math.trunc(Math.fround(pct * PERCENTAGE_SCALE_FACTOR_F32)) >>> 0;
    if (scaled === 0)
      return never(mode, `${pctText} rounds to a hash threshold of 0 and keeps nothing`, failed);
    const seed = le32(hashSeed);
    const params = `${pctText}, hash_seed ${hashSeed}`;
    return {
      mode,
      keepProbability: Math.min(scaled, NUM_HASH_BUCKETS) / NUM_HASH_BUCKETS,
      description: `hash_seed mode: keep iff FNV-1a-32(LE32(${hashSeed}) ‖ trace id) & 0x3fff < ${scaled} (${pctText})`,
      decide(traceId, traceState) {
        // hashingSampler.randomnessFromSpan: a tracestate carrying rv or th is left alone, as an error.
        const ts = samplingTraceState(traceState);
        if (ts.error) return failed(ts.error);
        if (ts.randomness !== undefined) return failed(`the tracestate carries rv (${RANDOMNESS_IN_USE})`);
        if (ts.threshold !== undefined) return failed(`the tracestate carries th (${THRESHOLD_IN_USE})`);
        if (isZero(traceId)) return failed(NO_RANDOMNESS);
        const h = fnv1a32(seed, traceIdBytes(traceId));
        const bucket = h & BIT_MASK_HASH_BUCKETS;
        const keep = bucket < scaled;
        return {
          keep,
          detail: `trace hash ${hex(h, 8)} & 0x3fff = ${bucket} ${keep ? "<" : "≥"} threshold ${scaled} (${params})`,
        };
      },
    };
  }

  const configured = probabilityToThreshold(ratio, precision);
  if (configured === undefined)
    return never(mode, `${pctText} is below the smallest representable probability`, failed);
  const tText = (t: bigint) => `${hex(t, 14)} (t-value ${thresholdTValue(t) || "none"})`;
  const params = `${pctText}, sampling_precision ${precision}`;
  return {
    mode,
    keepProbability: thresholdProbability(configured),
    description: `${mode} mode: keep iff low 56 bits of the trace id ≥ ${tText(configured)} (${pctText})`,
    decide(traceId, traceState) {
      // consistentTracestateCommon.randomnessFromSpan: rv overrides the trace id's randomness.
      const ts = samplingTraceState(traceState);
      if (ts.error) return failed(ts.error);
      if (ts.randomness === undefined && isZero(traceId)) return failed(NO_RANDOMNESS);
      const r = ts.randomness ?? traceIdRandomness(traceIdBytes(traceId));
      const source = ts.randomness === undefined ? "low 56 bits of the trace id" : "the tracestate's rv";
      const incoming = ts.threshold;
      // consistencyCheck: an arriving th its own randomness would not pass is inconsistent.
      if (incoming !== undefined && !shouldSample(incoming, r))
        return failed(`the tracestate's th ${thresholdTValue(incoming)} is inconsistent with its randomness`);
      let threshold = configured;
      if (incoming !== undefined) {
        if (mode === "equalizing") {
          // equalizingSampler.decide: an incoming threshold above the configured one stays.
          if (configured < incoming) threshold = incoming;
        } else {
          // proportionalSampler.decide: the incoming probability times the ratio.
          threshold =
            probabilityToThreshold(thresholdProbability(incoming) * ratio, precision) ??
            NEVER_SAMPLE_THRESHOLD;
        }
      }
      const keep = shouldSample(threshold, r);
      const after = incoming === undefined ? "" : ` after the tracestate's th ${thresholdTValue(incoming)}`;
      return {
        keep,
        detail: `randomness R = ${hex(r, 14)} (${source}) ${keep ? "≥" : "<"} threshold T = ${tText(threshold)}${after} (${params})`,
      };
    },
  };
}

const RANDOMNESS_IN_USE = "item has sampling randomness, equalizing or proportional mode recommended";
const THRESHOLD_IN_USE = "item has sampling threshold, equalizing or proportional mode recommended";

function isZero(traceId: string): boolean {
  return /^0*$/.test(traceId);
}

/** neverSampler: keeps nothing, except a span whose tracestate fails to parse under `fail_closed: false`. */
function never(
  mode: ProbabilisticSampler["mode"],
  why: string,
  failed: (why: string) => TraceDecision,
): ProbabilisticSampler {
  return {
    mode,
    keepProbability: 0,
    description: why,
    decide(_traceId, traceState) {
      const ts = samplingTraceState(traceState);
      return ts.error ? failed(ts.error) : { keep: false, detail: why };
    },
  };
}

/** `parseSpanSamplingPriority`: 0 drops, > 0 keeps, anything else defers to the hash. */
export function samplingPriority(value: AttributeValue | undefined): "keep" | "drop" | undefined {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") n = parseGoFloat(value);
  if (n === undefined || Number.isNaN(n)) return undefined;
  if (n === 0) return "drop";
  return n > 0 ? "keep" : undefined;
}

const GO_FLOAT = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d*(?:_\d+)*(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** Go's strconv.ParseFloat for decimal text (hex floats are not modelled and read as "not a number"). */
function parseGoFloat(text: string): number | undefined {
  if (text === "" || !GO_FLOAT.test(text) || !/[\dia]/i.test(text)) return undefined;
  const clean = text.replace(/_/g, "").toLowerCase();
  if (clean.endsWith("inf") || clean.endsWith("infinity"))
    return clean.startsWith("-") ? -Infinity : Infinity;
  if (clean.endsWith("nan")) return Number.NaN;
  const n = Number(clean);
  return Number.isNaN(n) ? undefined : n;
}

const MODELLED = [
  "sampling_percentage",
  "mode",
  "hash_seed",
  "sampling_precision",
  "fail_closed",
  // logs-only settings: no effect on traces
  "attribute_source",
  "from_attribute",
  "sampling_priority",
];

/**
 * The `probabilistic_sampler` processor for traces (tracesprocessor.go): a per-trace hash decision,
 * overridden per span by `sampling.priority`, exactly as the collector does it — so a trace with a
 * priority on some spans only can be kept in part.
 */
export function compileProbabilisticSampler(
  settings: ProbabilisticSamplerSettings,
  ctx: ProcessorContext,
): StreamProcessor {
  reportUnknownSettings(ctx, settings, MODELLED, "probabilistic_sampler");
  const sampler = makeProbabilisticSampler(settings);
  const decisions = new Map<string, TraceDecision>();
  return {
    sampler: {
      stage: ctx.stage,
      processor: "probabilistic_sampler",
      mode: sampler.mode,
      keepProbability: sampler.keepProbability,
      detail: sampler.description,
    },
    push(record: SpanRecord, emit: Emit): void {
      const priority = samplingPriority(record.attributes["sampling.priority"]);
      if (priority === "keep") {
        emit(record);
        return;
      }
      if (priority === "drop") {
        recordLoss(ctx, record, "sampling", RECORD, "sampling.priority = 0 on this span drops it");
        return;
      }
      // The collector decides span by span; spans without a tracestate share their trace's decision.
      let decision = record.traceState === undefined ? decisions.get(record.traceId) : undefined;
      if (!decision) {
        decision = sampler.decide(record.traceId, record.traceState);
        if (record.traceState === undefined) decisions.set(record.traceId, decision);
      }
      if (decision.keep) emit(record);
      else recordLoss(ctx, record, "sampling", RECORD, decision.detail);
    },
    release(traceId: string): void {
      decisions.delete(traceId);
    },
  };
}
