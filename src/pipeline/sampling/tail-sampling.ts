import type { z } from "zod";
import { formatElapsed } from "../../model/duration.js";
import type { TailSamplingSchema } from "../../model/processors.js";
import { parseGoDuration } from "../go/duration.js";
import {
  configError,
  type ProcessorContext,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { TailBuffer } from "./tail-buffer.js";
import { orderPolicies } from "./tail-decision.js";
import { compileTailPolicy, type TailPolicy } from "./tail-policies.js";

export type TailSamplingSettings = z.infer<typeof TailSamplingSchema>;

const NS_PER_SECOND = 1_000_000_000n;
const DEFAULT_DECISION_WAIT = 30n * NS_PER_SECOND;
const DEFAULT_NUM_TRACES = 50_000;
const MODELLED = [
  "decision_wait",
  "num_traces",
  "policies",
  "expected_new_traces_per_sec",
  "sample_on_first_match",
  "decision_cache",
];

/**
 * The `tail_sampling` processor: its settings checked as the collector's config validation does; the
 * buffer, decisions and evictions are in `TailBuffer`.
 */
export function compileTailSampling(settings: TailSamplingSettings, ctx: ProcessorContext): StreamProcessor {
  reportUnknownSettings(ctx, settings, MODELLED, "tail_sampling");
  const wait =
    settings.decision_wait === undefined ? DEFAULT_DECISION_WAIT : parseGoDuration(settings.decision_wait);
  if (wait === undefined || wait < 0n) {
    configError(
      ctx,
      "tail_sampling.decision_wait",
      `decision_wait ${JSON.stringify(settings.decision_wait)} is not a Go duration`,
    );
  }
  const numTraces = settings.num_traces ?? DEFAULT_NUM_TRACES;
  const names = new Set<string>();
  const compiled = settings.policies.map((p, i) => {
    if (!p.name) configError(ctx, `tail_sampling.policies[${i}].name`, "policy name cannot be empty");
    if (names.has(p.name))
      configError(ctx, `tail_sampling.policies[${i}].name`, `duplicate policy name "${p.name}"`);
    names.add(p.name);
    return compileTailPolicy(p, ctx, `tail_sampling.policies[${i}]`);
  });
  const policies = orderPolicies(compiled);
  const sampleOnFirstMatch = (settings as Record<string, unknown>)["sample_on_first_match"] === true;
  const cacheCfg = ((settings as Record<string, unknown>)["decision_cache"] ?? {}) as Record<string, unknown>;
  const delay = decisionDelay(wait);
  const waitText =
    delay === wait
      ? formatElapsed(wait)
      : `${formatElapsed(wait)}, which the collector's one-second decision ticks make ${formatElapsed(delay)}`;
  const unsupported = compiled.filter((p) => p.unsupported).map((p) => `"${p.name}" (${p.type})`);
  const unsupportedNote = unsupported.length
    ? `; unsupported ${unsupported.join(", ")} treated as not sampling and might have kept it`
    : "";

  const state = new TailBuffer(
    {
      policies,
      wait: delay,
      window: decisionWindow(wait),
      waitText,
      numTraces,
      sampleOnFirstMatch,
      sampledCacheSize: Number(cacheCfg["sampled_cache_size"] ?? 0),
      nonSampledCacheSize: Number(cacheCfg["non_sampled_cache_size"] ?? 0),
      unsupportedNote,
    },
    ctx,
  );
  return {
    sampler: {
      stage: ctx.stage,
      processor: "tail_sampling",
      mode: "policies",
      ...contentFreeProbability(compiled),
      detail: `policies ${compiled.map((p) => `${p.name} (${p.type})`).join(", ") || "(none)"}; decision_wait ${waitText}, num_traces ${numTraces}`,
    },
    push: (record, emit) => state.push(record, emit),
    advance: (time, emit) => state.advance(time, emit),
    holds: (traceId) => state.holds(traceId),
    release: (traceId) => state.release(traceId),
  };
}

/**
 * How long after its first span a trace is decided. The collector's decision batcher is a pipe of
 * max(1, ⌊decision_wait⌋) one-second batches, emptied one batch per tick of a 1 s ticker (processor.go
 * Start: `idbatcher.New(uint64(math.Max(1, DecisionWait.Seconds())), …)`; idbatcher/id_batcher.go), so
 * it decides between that many whole seconds and one more after the first span, never before 1s. The
 * model decides at decision_wait, which lies in that window, and at 1s when decision_wait is shorter;
 * a trace is kept only if every point of the window keeps it (`decisionWindow`, TailBuffer).
 */
export function decisionDelay(wait: bigint): bigint {
  return wait < NS_PER_SECOND ? NS_PER_SECOND : wait;
}

/**
 * When the collector can decide a trace, after its first span: its batcher holds N = max(1, ⌊decision_wait⌋)
 * batches and takes the oldest on each tick, so a trace is decided on the N-th tick after the one that
 * closes its batch: in (N, N + 1] seconds, as the ticker's phase falls (id_batcher.go
 * CloseCurrentAndTakeFirstBatch, processor.go Start).
 */
export function decisionWindow(wait: bigint): { start: bigint; end: bigint } {
  const n = wait < NS_PER_SECOND ? 1n : wait / NS_PER_SECOND;
  return { start: n * NS_PER_SECOND, end: (n + 1n) * NS_PER_SECOND };
}

/** The keep probability that holds whatever the content: always_sample → 1, probabilistic policies. */
function contentFreeProbability(policies: readonly TailPolicy[]): { keepProbability?: number } {
  const top = policies.filter((p) => !p.isDrop && p.probability);
  if (top.length === 0) return {};
  const bySalt = new Map<string, number>();
  for (const p of top)
    bySalt.set(p.probability!.salt, Math.max(bySalt.get(p.probability!.salt) ?? 0, p.probability!.value));
  let miss = 1;
  for (const v of bySalt.values()) miss *= 1 - v;
  return { keepProbability: 1 - miss };
}
