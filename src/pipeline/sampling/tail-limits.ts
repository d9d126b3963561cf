import { configError, type ProcessorContext } from "../processor.js";
import type { PolicyDecision, TailPolicy } from "./tail-policies.js";
import { TokenBucket } from "./token-bucket.js";
import { traceSize } from "./trace-size.js";

type Cfg = Record<string, unknown>;
const NS_PER_SECOND = 1_000_000_000n;

/**
 * The bucket's depth: `burst_capacity` where it is positive, else twice the rate
 * (getSharedPolicyEvaluator picks NewRateLimitingWithBurstCapacity / NewBytesLimitingWithBurstCapacity
 * only when BurstCapacity > 0).
 */
function burstOf(cfg: Cfg, rate: number): number {
  const burst = Math.trunc(Number(cfg["burst_capacity"] ?? 0));
  return burst > 0 ? burst : 2 * rate;
}

/**
 * `rate_limiting` (rate_limiting.go): a token bucket of `spans_per_second`, `burst_capacity` deep
 * (twice the rate by default), from which a trace takes one token per span at its decision — judged on
 * recorded time, the decision being `decision_wait` after the trace's first span arrived.
 */
export function rateLimiting(name: string, cfg: Cfg): TailPolicy {
  const sps = Math.trunc(Number(cfg["spans_per_second"] ?? 0));
  const bucket = new TokenBucket(sps, burstOf(cfg, sps));
  return {
    name,
    type: "rate_limiting",
    isDrop: false,
    stateful: true,
    evaluate: (_id, spans, at) => (bucket.allow(at.at, spans.length, at.probe) ? "sampled" : "not_sampled"),
  };
}

/**
 * `bytes_limiting` (bytes_limiting.go): a token bucket of `bytes_per_second` (`burst_capacity`
 * deep, twice the rate by default) from which a trace takes its OTLP protobuf size (`traceSize`).
 */
export function bytesLimiting(name: string, cfg: Cfg, ctx: ProcessorContext, field: string): TailPolicy {
  const bps = Math.trunc(Number(cfg["bytes_per_second"] ?? 0));
  if (bps <= 0)
    configError(ctx, `${field}.bytes_limiting.bytes_per_second`, `policy "${name}": must be positive`);
  const bucket = new TokenBucket(bps, burstOf(cfg, bps));
  return {
    name,
    type: "bytes_limiting",
    isDrop: false,
    stateful: true,
    evaluate: (_id, spans, at) =>
      bucket.allow(at.at, traceSize(spans), at.probe) ? "sampled" : "not_sampled",
  };
}

/**
 * `composite` (composite.go, composite_helper.go): sub-policies in the order they are listed; the
 * first that samples decides — sampled while its spans this second (recorded time) stay within its
 * allocation and within `max_total_spans_per_second`, else not sampled. A sub-policy's allocation is
 * `percent`% of the total from `rate_allocation`, an even share where the percent is not positive, and
 * nothing where it has no entry. Counters restart each second.
 */
export function composite(name: string, subs: readonly TailPolicy[], cfg: Cfg): TailPolicy {
  const total = Math.trunc(Number(cfg["max_total_spans_per_second"] ?? 0));
  const shares = new Map<string, number>();
  const even = total / subs.length;
  for (const a of (Array.isArray(cfg["rate_allocation"]) ? cfg["rate_allocation"] : []) as Cfg[]) {
    const percent = Math.trunc(Number(a["percent"] ?? 0));
    shares.set(String(a["policy"] ?? ""), percent > 0 ? (percent / 100) * total : even);
  }
  const allocated = subs.map((s) => Math.trunc(shares.get(s.name) ?? 0));
  const sampled = subs.map(() => 0);
  let second: bigint | undefined;
  return {
    name,
    type: "composite",
    isDrop: false,
    stateful: subs.some((s) => s.stateful),
    evaluate(id, spans, at) {
      const now = at.at / NS_PER_SECOND;
      const counts = second === now ? sampled.slice() : sampled.map(() => 0);
      const settle = (decision: PolicyDecision | undefined) => {
        // A new second restarts the counters whatever the decision, as Evaluate does first.
        if (!at.probe) {
          second = now;
          counts.forEach((c, k) => {
            sampled[k] = c;
          });
        }
        return decision;
      };
      for (const [i, sub] of subs.entries()) {
        const d = sub.evaluate(id, spans, at);
        if (d === undefined) return settle(undefined);
        if (d !== "sampled" && d !== "invert_sampled") continue;
        const next = counts[i]! + spans.length;
        if (next > allocated[i]! || next > total) return settle("not_sampled");
        counts[i] = next;
        return settle("sampled");
      }
      return settle("not_sampled");
    },
  };
}
