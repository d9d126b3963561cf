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
  type SamplingTraceState,
  samplingTraceState,
  serializeSamplingTraceState,
} from "./otel-tracestate.js";
import {
  ALWAYS_SAMPLE_THRESHOLD,
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

/** A decision of the sampler for one span, with the arithmetic that led to it. */
export interface TraceDecision {
  readonly keep: boolean;
  readonly detail: string;
  /**
   * The tracestate a kept span leaves with (carrier.reserialize in commonShouldSampleLogic), when the
   * sampler read it without an error; a dropped span, or one whose tracestate was in error, has none.
   */
  readonly written?: string;
}

export interface ProbabilisticSampler {
  readonly mode: "hash_seed" | "proportional" | "equalizing";
  /** The probability a trace is kept when no `sampling.priority` applies. */
  readonly keepProbability: number;
  readonly description: string;
  /**
   * The decision for a span of this trace that carries this tracestate; `priority: "keep"` is a span
   * whose `sampling.priority` forces it kept (a threshold of 0, which the written tracestate shows).
   */
  decide(traceId: string, traceState?: string, priority?: "keep"): TraceDecision;
}

/**
 * What commonShouldSampleLogic (sampler_mode.go) has of a span once the mode has read it: its
 * randomness (undefined when missing), its tracestate as the carrier holds it (undefined when reading it
 * failed, or hash_seed mode found rv or th in it), the error that settles it by fail_closed, and the
 * threshold the mode decides when there is none.
 */
interface Reading {
  readonly randomness?: bigint;
  readonly carrier?: SamplingTraceState;
  readonly error?: string;
  readonly threshold: bigint;
  /** How the threshold was reached, for the loss's detail. */
  readonly detail: string;
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
  const sampler = (keepProbability: number, description: string, read: Read): ProbabilisticSampler => ({
    mode,
    keepProbability,
    description,
    decide: (traceId, traceState, priority) =>
      settle(read(traceId, samplingTraceState(traceState)), failClosed, priority),
  });

  if (pct === 0)
    return sampler(0, "sampling_percentage 0 keeps nothing", never("sampling_percentage 0 keeps nothing"));
  let ratio = pct / 100;
  if (ratio < MIN_SAMPLING_PROBABILITY) ratio = MIN_SAMPLING_PROBABILITY;

  if (mode === "hash_seed") {
    // uint32(pct * percentageScaleFactor): float32 multiplication, truncated toward zero.
    const scaled = Math.trunc(Math.fround(pct * PERCENTAGE_SCALE_FACTOR_F32)) >>> 0;
    if (scaled === 0) {
      const why = `${pctText} rounds to a hash threshold of 0 and keeps nothing`;
      return sampler(0, why, never(why));
    }
    const seed = le32(hashSeed);
    const params = `${pctText}, hash_seed ${hashSeed}`;
    // The accept threshold as a 56-bit reject threshold: (numHashBuckets − scaled) << 42.
    const reject = BigInt(NUM_HASH_BUCKETS - Math.min(scaled, NUM_HASH_BUCKETS)) << 42n;
    return sampler(
      Math.min(scaled, NUM_HASH_BUCKETS) / NUM_HASH_BUCKETS,
      `hash_seed mode: keep iff FNV-1a-32(LE32(${hashSeed}) ‖ trace id) & 0x3fff < ${scaled} (${pctText})`,
      (traceId, ts) => {
        const h = isZero(traceId) ? undefined : fnv1a32(seed, traceIdBytes(traceId));
        const randomness = h === undefined ? undefined : hashRandomness(h);
        const bucket = h === undefined ? 0 : h & BIT_MASK_HASH_BUCKETS;
        const detail =
          h === undefined
            ? ""
            : `trace hash ${hex(h, 8)} & 0x3fff = ${bucket} ${bucket < scaled ? "<" : "≥"} threshold ${scaled} (${params})`;
        const base = { ...(randomness !== undefined ? { randomness } : {}), threshold: reject, detail };
        // hashingSampler.randomnessFromSpan: a tracestate carrying rv or th is left alone, as an error;
        // otherwise the hash's randomness is written into it as rv.
        if (ts.error) return { ...base, error: ts.error };
        if (ts.randomness !== undefined)
          return { ...base, error: `the tracestate carries rv (${RANDOMNESS_IN_USE})` };
        if (ts.threshold !== undefined)
          return { ...base, error: `the tracestate carries th (${THRESHOLD_IN_USE})` };
        const carrier = { ...ts, rvText: hex(randomness ?? ALL_PROBABILITIES, 14).slice(2) };
        return { ...base, carrier, ...(randomness === undefined ? { error: NO_RANDOMNESS } : {}) };
      },
    );
  }

  const configured = probabilityToThreshold(ratio, precision);
  if (configured === undefined) {
    const why = `${pctText} is below the smallest representable probability`;
    return sampler(0, why, never(why));
  }
  const tText = (t: bigint) => `${hex(t, 14)} (t-value ${thresholdTValue(t) || "none"})`;
  const params = `${pctText}, sampling_precision ${precision}`;
  return sampler(
    thresholdProbability(configured),
    `${mode} mode: keep iff low 56 bits of the trace id ≥ ${tText(configured)} (${pctText})`,
    (traceId, ts) => {
      // consistentTracestateCommon.randomnessFromSpan: rv overrides the trace id's randomness.
      if (ts.error) return { error: ts.error, threshold: configured, detail: "" };
      const randomness =
        ts.randomness ?? (isZero(traceId) ? undefined : traceIdRandomness(traceIdBytes(traceId)));
      if (randomness === undefined)
        return { carrier: ts, error: NO_RANDOMNESS, threshold: configured, detail: "" };
      const source = ts.randomness === undefined ? "low 56 bits of the trace id" : "the tracestate's rv";
      const incoming = ts.threshold;
      // consistencyCheck: an arriving th its own randomness would not pass is inconsistent, and cleared.
      if (incoming !== undefined && !shouldSample(incoming, randomness)) {
        const { threshold: _t, thText: _x, ...cleared } = ts;
        return {
          randomness,
          carrier: cleared,
          error: `the tracestate's th ${thresholdTValue(incoming)} is inconsistent with its randomness`,
          threshold: configured,
          detail: "",
        };
      }
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
      const keep = shouldSample(threshold, randomness);
      const after = incoming === undefined ? "" : ` after the tracestate's th ${thresholdTValue(incoming)}`;
      return {
        randomness,
        carrier: ts,
        threshold,
        detail: `randomness R = ${hex(randomness, 14)} (${source}) ${keep ? "≥" : "<"} threshold T = ${tText(threshold)}${after} (${params})`,
      };
    },
  );
}

type Read = (traceId: string, ts: SamplingTraceState) => Reading;

/**
 * commonShouldSampleLogic after the mode's reading: an error is settled by fail_closed alone, a
 * `sampling.priority` that keeps the span makes the threshold 0, and a kept span whose tracestate was
 * read leaves with the threshold written as `th` — unless it would raise the probability an arriving
 * `th` already states (UpdateTValueWithSampling's ErrInconsistentSampling: the `th` stays).
 */
function settle(reading: Reading, failClosed: boolean, priority: "keep" | undefined): TraceDecision {
  const { randomness = ALL_PROBABILITIES, carrier, error } = reading;
  let threshold = error ? (failClosed ? NEVER_SAMPLE_THRESHOLD : ALWAYS_SAMPLE_THRESHOLD) : reading.threshold;
  if (priority === "keep") threshold = ALWAYS_SAMPLE_THRESHOLD;
  const keep = shouldSample(threshold, randomness);
  const detail =
    priority === "keep"
      ? "sampling.priority > 0 on this span keeps it"
      : error
        ? `${error}; fail_closed ${failClosed} ${failClosed ? "drops" : "keeps"} it`
        : reading.detail;
  if (!keep || !carrier) return { keep, detail };
  const raises = carrier.threshold !== undefined && carrier.threshold > threshold;
  const written = raises ? carrier : { ...carrier, threshold, thText: thresholdTValue(threshold) };
  return { keep, detail, written: serializeSamplingTraceState(written) };
}

/**
 * hashingSampler's randomness (randomnessFromBytes): the 14 bucket bits turned round as R' = 0x3fff − (h
 * & 0x3fff), then 28 bits mixed from the hash's 18 unused bits, then the bucket, so that R' ≥ T' decides
 * as h & 0x3fff < scaled did.
 */
function hashRandomness(h: number): bigint {
  const bucket = h & BIT_MASK_HASH_BUCKETS;
  const unused18 = h >>> 14;
  const mixed28 = (unused18 ^ (unused18 << 10)) >>> 0;
  return (BigInt(BIT_MASK_HASH_BUCKETS - bucket) << 42n) | (BigInt(mixed28) << 14n) | BigInt(bucket);
}

/** sampling.AllProbabilitiesRandomness: what a missing randomness stands for (passes every threshold but never's). */
const ALL_PROBABILITIES = NEVER_SAMPLE_THRESHOLD - 1n;
const NO_RANDOMNESS = "the trace id is all zeros (no randomness)";
const RANDOMNESS_IN_USE = "item has sampling randomness, equalizing or proportional mode recommended";
const THRESHOLD_IN_USE = "item has sampling threshold, equalizing or proportional mode recommended";

function isZero(traceId: string): boolean {
  return /^0*$/.test(traceId);
}

/**
 * neverSampler: keeps nothing — but a span that `sampling.priority` keeps, or whose tracestate fails to
 * parse under `fail_closed: false`. (Its randomness is a stand-in, so no consistency error arises; after a
 * parse error the collector writes back what it had parsed so far, which is not modelled: the span keeps
 * its tracestate.)
 */
function never(why: string): Read {
  return (_traceId, ts) =>
    ts.error
      ? { error: ts.error, threshold: NEVER_SAMPLE_THRESHOLD, detail: why }
      : { randomness: ALL_PROBABILITIES, carrier: ts, threshold: NEVER_SAMPLE_THRESHOLD, detail: why };
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
      if (priority === "drop") {
        recordLoss(ctx, record, "sampling", RECORD, "sampling.priority = 0 on this span drops it");
        return;
      }
      // The collector decides span by span; spans without a tracestate share their trace's decision.
      let decision =
        record.traceState === undefined && priority === undefined ? decisions.get(record.traceId) : undefined;
      if (!decision) {
        decision = sampler.decide(record.traceId, record.traceState, priority);
        if (record.traceState === undefined && priority === undefined)
          decisions.set(record.traceId, decision);
      }
      if (!decision.keep) recordLoss(ctx, record, "sampling", RECORD, decision.detail);
      else if (decision.written === undefined || decision.written === record.traceState) emit(record);
      else emit({ ...record, traceState: decision.written });
    },
    release(traceId: string): void {
      decisions.delete(traceId);
    },
  };
}
