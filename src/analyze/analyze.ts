import type { Action } from "../model/action.js";
import { durationNanos } from "../model/duration.js";
import type { Gap } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { LayerKind, SpanRecord } from "../model/record.js";
import {
  type SamplerSummary,
  type StreamSummary,
  simulate,
  type UnknownConstruct,
} from "../pipeline/index.js";
import { checkRecords } from "../reconstruct/check.js";
import { fixHint } from "../reconstruct/hints.js";
import { severityOf } from "../reconstruct/severity.js";
import {
  REPRESENTATIVE_CONVENTIONS,
  type RepresentativeConvention,
  RUN_CLASSES,
  type RunClass,
  representativeRun,
} from "./representative.js";
import {
  configAtFullRate,
  configWithoutSamplers,
  isSampler,
  singleSamplerConfig,
} from "./sampling-variants.js";

/**
 * The chance that a record of one kind survives one stream, for each class of run; null where that
 * class of run has no such record (a denied tool call never runs).
 */
export interface KindProbability {
  stream: string;
  kind: LayerKind;
  plain: number | null;
  failed: number | null;
  denied: number | null;
}

export interface StreamAnalysis {
  name: string;
  kinds: LayerKind[];
  retention: { configured: string; required?: string; ok: boolean };
  available: { configured: string; required?: string; ok: boolean };
  correlation: { kept: string[]; missing: string[] };
  integrity: { configured: string; required: string; ok: boolean };
  samplers: SamplerSummary[];
  notes: string[];
}

export interface Analysis {
  version: 1;
  profile: string;
  convention: RepresentativeConvention;
  streams: StreamAnalysis[];
  probabilities: KindProbability[];
  gaps: Gap[];
  unknown: UnknownConstruct[];
}

const storedKinds = (
  records: readonly SpanRecord[],
  stored: ReturnType<typeof simulate>["stored"],
  stream: string,
) => {
  const kindOf = new Map(records.map((r) => [r.spanId, r.kind]));
  return new Set(stored.filter((s) => s.stream === stream).map((s) => kindOf.get(s.record.spanId)!));
};

/** The keep factor of one sampler for one run: 1 if its content rules keep it, else its hash rate. */
function samplerFactor(
  run: readonly SpanRecord[],
  summary: StreamSummary,
  index: number,
  config: LoggingConfig,
): number {
  const stream = config.streams.find((s) => s.name === summary.name)!;
  const processor = stream.processors[index]!;
  const keptAt = (pct: 0 | 100) =>
    simulate(run, singleSamplerConfig(stream, processor, pct), { auditAfterNs: 0n }).stored.length > 0;
  if (keptAt(0)) return 1;
  if (!keptAt(100)) return 0;
  const sampler = summary.samplers.find((s) => s.stage.endsWith(`[${index}]`));
  return sampler?.keepProbability ?? 0;
}

/** 0 when the run has a record of that kind that the stream never keeps; null when the run has none. */
const absent = (run: readonly SpanRecord[], kind: LayerKind) => (run.some((r) => r.kind === kind) ? 0 : null);

function gapKey(g: Gap): string {
  return [g.cause, g.stage, g.fact, g.action.kind, g.action.name].join("|");
}

/**
 * What a logging config does to every run, whatever its content: exact keep probabilities per stream,
 * action kind and class of run (plain, failed, with a policy denial), retention and integrity against
 * the profile, and the gaps every run will have. Pure: reads only the config and the profile.
 */
export function analyzeConfig(
  config: LoggingConfig,
  profile: Profile,
  convention: RepresentativeConvention = REPRESENTATIVE_CONVENTIONS[0],
): Analysis {
  const auditAfterNs = profile.retention.minimum ? (durationNanos(profile.retention.minimum) ?? 0n) : 0n;
  const runs = Object.fromEntries(RUN_CLASSES.map((c) => [c, representativeRun(c, convention)])) as Record<
    RunClass,
    SpanRecord[]
  >;
  const base = simulate(runs.plain, config, { auditAfterNs });
  // What every stream stores of each class of run without its samplers, and at their full rate: one
  // simulation of the whole config each, read per stream below.
  const storedBy = (variant: LoggingConfig) =>
    Object.fromEntries(
      RUN_CLASSES.map((c) => [c, simulate(runs[c], variant, { auditAfterNs: 0n }).stored]),
    ) as Record<RunClass, ReturnType<typeof simulate>["stored"]>;
  const fullRate = configAtFullRate(config);
  const unsampledStored = storedBy(configWithoutSamplers(config));
  const fullRateStored = storedBy(fullRate);

  const probabilities: KindProbability[] = [];
  for (const summary of base.streams) {
    const samplerIdx = config.streams
      .find((s) => s.name === summary.name)!
      .processors.flatMap((p, i) => (isSampler(p) ? [i] : []));
    const perClass = {} as Record<RunClass, Map<LayerKind, number>>;
    for (const cls of RUN_CLASSES) {
      const run = runs[cls];
      // The kinds the stream would store without its samplers; those it loses even at the samplers'
      // full rate are kept with probability 0 (a sampler after another that refuses what the first wrote).
      const routed = storedKinds(run, unsampledStored[cls], summary.name);
      const atFullRate = storedKinds(run, fullRateStored[cls], summary.name);
      const factor = samplerIdx.reduce((p, i) => p * samplerFactor(run, summary, i, config), 1);
      perClass[cls] = new Map([...routed].map((k) => [k, atFullRate.has(k) ? factor : 0]));
    }
    const kinds = new Set<LayerKind>(RUN_CLASSES.flatMap((c) => [...perClass[c].keys()]));
    for (const kind of kinds) {
      probabilities.push({
        stream: summary.name,
        kind,
        plain: perClass.plain.get(kind) ?? absent(runs.plain, kind),
        failed: perClass.failed.get(kind) ?? absent(runs.failed, kind),
        denied: perClass.denied.get(kind) ?? absent(runs.denied, kind),
      });
    }
  }

  // Deterministic gaps: every class of run at full sampling rate, audited when the profile's retention ends.
  const gaps = new Map<string, Gap>();
  for (const cls of RUN_CLASSES) {
    for (const v of checkRecords(runs[cls], fullRate, profile, { auditAfterNs }).verdicts) {
      for (const g of v.gaps)
        if (g.cause !== "instrumentation" && !gaps.has(gapKey(g))) gaps.set(gapKey(g), g);
    }
  }
  for (const gap of samplingGaps(probabilities, profile)) gaps.set(gapKey(gap), gap);

  return {
    version: 1,
    profile: profile.name,
    convention,
    streams: base.streams.map((s) => streamAnalysis(s, config, profile, probabilities)),
    probabilities,
    // The representative run's ids mean nothing to the reader: gaps hold for every run.
    gaps: [...gaps.values()].map((g) => ({
      ...g,
      traceId: "*",
      action: { kind: g.action.kind, name: g.action.name },
      message: g.message.replace(/ \(span [0-9a-f]{16}\)| span [0-9a-f]{16}/g, ""),
    })),
    unknown: base.unknown,
  };
}

/** A kind that any stream keeps with probability below 1 loses whole runs: one gap per stream, kind and class. */
function samplingGaps(probabilities: readonly KindProbability[], profile: Profile): Gap[] {
  const out: Gap[] = [];
  for (const p of probabilities) {
    for (const cls of RUN_CLASSES) {
      const keep = p[cls];
      if (keep === null || keep >= 1 || keep === 0) continue;
      const action = { kind: p.kind, name: "*" } satisfies Pick<Action, "kind" | "name">;
      const failed = cls === "failed";
      out.push({
        cause: "sampling",
        stage: `${p.stream}/sampling`,
        severity: severityOf("sampling", "record", { kind: p.kind }, failed, profile),
        fact: "record",
        message: `${p.kind} records of ${cls === "plain" ? "ordinary runs" : cls === "failed" ? "failed runs" : "runs with a policy denial"} are kept in '${p.stream}' with probability ${formatProbability(keep)}`,
        hint: fixHint("sampling", { fact: "record", stream: p.stream }),
        action,
        traceId: "*",
        stream: p.stream,
      });
    }
  }
  return out;
}

export function formatProbability(p: number | null): string {
  if (p === null) return "–";
  return p === 1 || p === 0 ? String(p) : `${(p * 100).toFixed(4).replace(/\.?0+$/, "")}%`;
}

function streamAnalysis(
  s: StreamSummary,
  config: LoggingConfig,
  profile: Profile,
  probabilities: readonly KindProbability[],
): StreamAnalysis {
  const stream = config.streams.find((x) => x.name === s.name)!;
  const min = profile.retention.minimum;
  const hot = profile.retention.immediate;
  const fits = (have: bigint | undefined, need: string | undefined) =>
    need === undefined || have === undefined || have >= (durationNanos(need) ?? 0n);
  const all = ["traceId", "spanId", "parentSpanId"];
  return {
    name: s.name,
    kinds: [...new Set(probabilities.filter((p) => p.stream === s.name).map((p) => p.kind))],
    retention: {
      configured: stream.retention,
      ...(min ? { required: min } : {}),
      ok: fits(s.retentionNs, min),
    },
    available: {
      configured: stream.available ?? stream.retention,
      ...(hot ? { required: hot } : {}),
      ok: fits(s.availableNs ?? s.retentionNs, hot),
    },
    correlation: { kept: s.correlation, missing: all.filter((f) => !s.correlation.includes(f as never)) },
    integrity: {
      configured: s.integrity,
      required: profile.integrity,
      ok: profile.integrity === "none" || s.integrity === "merkle-checkpoints",
    },
    samplers: s.samplers,
    notes: s.notes,
  };
}
