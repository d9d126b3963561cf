import type { LoggingConfig, Stream } from "../model/logging-config.js";
import type { Processor, TailSamplingPolicy } from "../model/processors.js";

function fixPolicy(policy: TailSamplingPolicy, pct: number): TailSamplingPolicy {
  const out: TailSamplingPolicy = { ...policy };
  if (policy.type === "probabilistic") {
    out.probabilistic = { ...(policy.probabilistic as object), sampling_percentage: pct };
  }
  for (const [wrapper, list] of [
    ["and", "and_sub_policy"],
    ["drop", "drop_sub_policy"],
    ["composite", "composite_sub_policy"],
  ] as const) {
    const inner = (policy[wrapper] as Record<string, unknown> | undefined)?.[list];
    if (Array.isArray(inner)) {
      out[wrapper] = {
        ...(policy[wrapper] as object),
        [list]: inner.map((p) => fixPolicy(p as TailSamplingPolicy, pct)),
      };
    }
  }
  return out;
}

/** The processor with every hash-based sampling rate forced to `pct`, content-based rules untouched. */
export function withFixedRate(processor: Processor, pct: 0 | 100): Processor {
  if ("probabilistic_sampler" in processor) {
    return { probabilistic_sampler: { ...processor.probabilistic_sampler, sampling_percentage: pct } };
  }
  if ("tail_sampling" in processor) {
    const ts = processor.tail_sampling;
    return { tail_sampling: { ...ts, policies: ts.policies.map((p) => fixPolicy(p, pct)) } };
  }
  return processor;
}

export function isSampler(processor: Processor): boolean {
  return "probabilistic_sampler" in processor || "tail_sampling" in processor;
}

/** The whole config with every sampler keeping everything its content rules allow at 100%. */
export function configAtFullRate(config: LoggingConfig): LoggingConfig {
  return {
    ...config,
    streams: config.streams.map((s) => ({
      ...s,
      processors: s.processors.map((p) => withFixedRate(p, 100)),
    })),
  };
}

/** The whole config without its samplers: what each stream would store if nothing were sampled. */
export function configWithoutSamplers(config: LoggingConfig): LoggingConfig {
  return {
    ...config,
    streams: config.streams.map((s) => ({ ...s, processors: s.processors.filter((p) => !isSampler(p)) })),
  };
}

/** One stream holding only one of its samplers, at a fixed hash rate, with nothing else that could lose. */
export function singleSamplerConfig(stream: Stream, processor: Processor, pct: 0 | 100): LoggingConfig {
  return {
    streams: [
      {
        ...stream,
        match: {},
        processors: [withFixedRate(processor, pct)],
        retention: "forever",
        correlation: ["traceId", "spanId", "parentSpanId"],
      },
    ],
  };
}
