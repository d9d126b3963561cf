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
import {
  MIN_SAMPLING_PROBABILITY,
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
  decide(traceId: string): TraceDecision;
}

/** Builds the sampler as the collector's `makeSampler` does (sampler_mode.go). */
export function makeProbabilisticSampler(settings: ProbabilisticSamplerSettings): ProbabilisticSampler {
  // sampling_percentage is a float32 in the collector's config.
  let pct = Math.fround(settings.sampling_percentage);
  if (pct > 100) pct = 100;
  const hashSeed = (settings.hash_seed ?? 0) >>> 0;
  const mode = settings.mode ?? (hashSeed !== 0 ? "hash_seed" : "proportional");
  const failClosed = settings.fail_closed ?? true;
  const precision = settings.sampling_precision ?? DEFAULT_PRECISION;
  const pctText = `${settings.sampling_percentage}%`;

  const missing = (traceId: string): TraceDecision | undefined =>
    /^0*$/.test(traceId)
      ? {
          keep: !failClosed,
          detail: `the trace id is all zeros (no randomness); fail_closed ${failClosed} ${failClosed ? "drops" : "keeps"} it`,
        }
      : undefined;

  if (pct === 0) return never(mode, `sampling_percentage 0 keeps nothing`);
  let ratio = pct / 100;
  if (ratio < MIN_SAMPLING_PROBABILITY) ratio = MIN_SAMPLING_PROBABILITY;

  if (mode === "hash_seed") {
    // uint32(pct * percentageScaleFactor): float32 multiplication, truncated toward zero.
    const scaled = Math.trunc(Math.fround(pct * PERCENTAGE_SCALE_FACTOR_F32)) >>> 0;
    if (scaled === 0) return never(mode, `${pctText} rounds to a hash threshold of 0 and keeps nothing`);
    const seed = le32(hashSeed);
    const params = `${pctText}, hash_seed ${hashSeed}`;
    return {
      mode,
      keepProbability: Math.min(scaled, NUM_HASH_BUCKETS) / NUM_HASH_BUCKETS,
      description: `hash_seed mode: keep iff FNV-1a-32(LE32(${hashSeed}) ‖ trace id) & 0x3fff < ${scaled} (${pctText})`,
      decide(traceId) {
        const m = missing(traceId);
        if (m) return m;
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

  // proportional and equalizing: with no incoming tracestate threshold both use T(ratio).
  const threshold = probabilityToThreshold(ratio, precision);
  if (threshold === undefined)
    return never(mode, `${pctText} is below the smallest representable probability`);
  const tText = `${hex(threshold, 14)} (t-value ${thresholdTValue(threshold) || "none"})`;
  const params = `${pctText}, sampling_precision ${precision}`;
  return {
    mode,
    keepProbability: thresholdProbability(threshold),
    description: `${mode} mode: keep iff low 56 bits of the trace id ≥ ${tText} (${pctText})`,
    decide(traceId) {
      const m = missing(traceId);
      if (m) return m;
      const r = traceIdRandomness(traceIdBytes(traceId));
      const keep = shouldSample(threshold, r);
      return {
        keep,
        detail: `randomness R = ${hex(r, 14)} (low 56 bits of the trace id) ${keep ? "≥" : "<"} threshold T = ${tText} (${params})`,
      };
    },
  };
}

function never(mode: ProbabilisticSampler["mode"], why: string): ProbabilisticSampler {
  return { mode, keepProbability: 0, description: why, decide: () => ({ keep: false, detail: why }) };
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
      let decision = decisions.get(record.traceId);
      if (!decision) {
        decision = sampler.decide(record.traceId);
        decisions.set(record.traceId, decision);
      }
      if (decision.keep) emit(record);
      else recordLoss(ctx, record, "sampling", RECORD, decision.detail);
    },
    release(traceId: string): void {
      decisions.delete(traceId);
    },
  };
}
