import type { z } from "zod";
import type { TailSamplingSchema } from "../model/processors.js";
import type { SpanRecord } from "../model/record.js";
import { formatNs } from "./format.js";
import { parseGoDuration } from "./go-duration.js";
import {
  configError,
  type ProcessorContext,
  RECORD,
  recordLoss,
  reportUnknownSettings,
  type StreamProcessor,
} from "./processor.js";
import { decideTrace, orderPolicies } from "./tail-decision.js";
import { compileTailPolicy, type TailPolicy } from "./tail-policies.js";
import type { LossEvent } from "./types.js";

export type TailSamplingSettings = z.infer<typeof TailSamplingSchema>;

const DEFAULT_DECISION_WAIT = 30_000_000_000n;
const DEFAULT_NUM_TRACES = 50_000;
const MODELLED = [
  "decision_wait",
  "num_traces",
  "policies",
  "expected_new_traces_per_sec",
  "sample_on_first_match",
  "decision_cache",
];

/** One trace in the tail sampler's buffer (`idToTrace`). */
interface Buffered {
  readonly firstArrival: bigint;
  /** Spans received and not yet released (ReceivedBatches). */
  spans: SpanRecord[];
  decided?: {
    sampled: boolean;
    at: bigint;
    reason: string;
    spans: readonly SpanRecord[];
    losses: LossEvent[];
  };
  /** Set when late spans show the decision would have been different; reported once on the early losses. */
  flipped?: boolean;
}

/** A small LRU, as the decision caches (golang-lru: Get refreshes recency). */
class Lru {
  private readonly map = new Map<string, true>();
  constructor(private readonly size: number) {}
  get(id: string): boolean {
    if (!this.map.has(id)) return false;
    this.map.delete(id);
    this.map.set(id, true);
    return true;
  }
  put(id: string): void {
    if (this.size <= 0) return;
    this.map.delete(id);
    this.map.set(id, true);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

/**
 * The `tail_sampling` processor: spans arrive at their end time; a trace is decided `decision_wait`
 * after its first span arrived, on the spans arrived by then; later spans inherit the decision while the
 * trace is still buffered; past `num_traces` buffered traces the oldest is evicted, and its later spans
 * are decided afresh on their own (processor.go, with the default no-op decision caches).
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
  const waitText = formatNs(wait);
  const unsupported = compiled.filter((p) => p.unsupported).map((p) => `"${p.name}" (${p.type})`);
  const unsupportedNote = unsupported.length
    ? `; unsupported ${unsupported.join(", ")} treated as not sampling and might have kept it`
    : "";

  return {
    sampler: {
      stage: ctx.stage,
      processor: "tail_sampling",
      mode: "policies",
      ...contentFreeProbability(compiled),
      detail: `policies ${compiled.map((p) => `${p.name} (${p.type})`).join(", ") || "(none)"}; decision_wait ${waitText}, num_traces ${numTraces}`,
    },
    process(records) {
      const kept = new Set<SpanRecord>();
      const buffer = new Map<string, Buffered>();
      const deleteQueue: string[] = [];
      let queueHead = 0;
      const pending: { id: string; at: bigint }[] = [];
      let pendingHead = 0;
      const evicted = new Set<string>();
      const sampledCache = new Lru(Number(cacheCfg["sampled_cache_size"] ?? 0));
      const nonSampledCache = new Lru(Number(cacheCfg["non_sampled_cache_size"] ?? 0));

      const decide = (id: string, at: bigint) => {
        const entry = buffer.get(id);
        if (!entry || entry.decided) return;
        const d = decideTrace(policies, id, entry.spans, sampleOnFirstMatch);
        const losses: LossEvent[] = [];
        if (!d.sampled) {
          const afresh = evicted.has(id)
            ? ", decided afresh on its own spans after the trace was evicted earlier"
            : "";
          const detail = `trace not sampled at ${formatNs(at - entry.firstArrival)} after its first span (decision_wait ${waitText}) on ${entry.spans.length} span(s): ${d.reason}${unsupportedNote}${afresh}`;
          for (const s of entry.spans) losses.push(recordLoss(ctx, s, "sampling", RECORD, detail));
        } else for (const s of entry.spans) kept.add(s);
        entry.decided = { sampled: d.sampled, at, reason: d.reason, spans: entry.spans, losses };
        entry.spans = [];
        if (d.sampled) sampledCache.put(id);
        else nonSampledCache.put(id);
        if ((d.sampled && sampledCache.get(id)) || (!d.sampled && nonSampledCache.get(id))) buffer.delete(id);
      };

      const evictOldest = () => {
        const id = deleteQueue[queueHead++];
        if (id === undefined) return;
        const entry = buffer.get(id);
        if (!entry) return;
        buffer.delete(id);
        evicted.add(id);
        for (const s of entry.spans) {
          recordLoss(
            ctx,
            s,
            "sampling",
            RECORD,
            `trace evicted from the tail sampler's buffer before its decision: more than num_traces ${numTraces} traces were buffered`,
          );
        }
      };

      const late = (id: string, entry: Buffered, s: SpanRecord, t: bigint) => {
        const decided = entry.decided!;
        if (decided.sampled) {
          kept.add(s);
          return;
        }
        const after = formatNs(t - decided.at);
        let detail = `arrived ${after} after the trace was decided not sampled (decision_wait ${waitText} after its first span): ${decided.reason}`;
        const seen = decided.spans as SpanRecord[];
        seen.push(s);
        const withLate = decideTrace(policies, id, seen, sampleOnFirstMatch);
        if (withLate.sampled) {
          const what = s.status.code === "error" ? "a span with status ERROR" : "a span";
          detail += `; with this span the trace would have been sampled (${withLate.reason})`;
          if (!entry.flipped) {
            entry.flipped = true;
            const note = ` — ${what} (${s.name}) arrived ${after} after the decision; with it the trace would have been sampled (${withLate.reason})${s.status.code === "error" ? ": the failed run was sampled away because its error arrived late" : ""}`;
            for (const loss of decided.losses) loss.detail += note;
          }
          if (s.status.code === "error")
            detail += ": the failed run was sampled away because its error arrived after the decision";
        }
        recordLoss(ctx, s, "sampling", RECORD, detail);
      };

      const arrive = (s: SpanRecord, t: bigint) => {
        const id = s.traceId;
        if (sampledCache.get(id)) {
          kept.add(s);
          return;
        }
        if (nonSampledCache.get(id)) {
          recordLoss(
            ctx,
            s,
            "sampling",
            RECORD,
            "arrived after the trace was decided not sampled (decision cache)",
          );
          return;
        }
        let entry = buffer.get(id);
        if (!entry) {
          if (buffer.size >= numTraces) evictOldest();
          entry = { firstArrival: t, spans: [] };
          buffer.set(id, entry);
          deleteQueue.push(id);
          pending.push({ id, at: t + wait });
        }
        if (entry.decided) late(id, entry, s, t);
        else entry.spans.push(s);
      };

      for (const s of records) {
        const t = BigInt(s.end);
        // Spans that end exactly at a decision time arrive before it.
        while (pendingHead < pending.length && pending[pendingHead]!.at < t) {
          const p = pending[pendingHead++]!;
          decide(p.id, p.at);
        }
        arrive(s, t);
      }
      while (pendingHead < pending.length) {
        const p = pending[pendingHead++]!;
        decide(p.id, p.at);
      }
      return records.filter((r) => kept.has(r));
    },
  };
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
