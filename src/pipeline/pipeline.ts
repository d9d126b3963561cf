import type { LoggingConfig } from "../model/logging-config.js";
import { processorName } from "../model/processors.js";
import type { SpanRecord } from "../model/record.js";
import { resolveFeatureGates } from "./feature-gates.js";
import type { Emit, ProcessorContext, StreamProcessor } from "./processor.js";
import { compileProcessor } from "./registry.js";
import { compileRouter } from "./routing.js";
import { InThreadSealer, linesOf, RunLines, type Sealer } from "./seal.js";
import { compileStore, type Store, summarizeStream } from "./store.js";
import type { LossEvent, StoredRecord, StreamSummary, UnknownConstruct } from "./types.js";

/** A loss with the keys that put it where the whole-input model emitted it: stage, then emission. */
export interface KeyedLoss {
  readonly stage: number;
  readonly seq: number;
  readonly loss: LossEvent;
}

/** A stored record with its stream and the order it reached the store. */
export interface KeyedStored {
  readonly stream: number;
  readonly seq: number;
  readonly stored: StoredRecord;
}

/** What the pipeline did to one run, once every stream has decided it. */
export interface RunOutput {
  readonly stored: KeyedStored[];
  readonly losses: KeyedLoss[];
  /** The streams as this run's audit sees them: sealed streams carry the run's own verification. */
  readonly streams: readonly StreamSummary[];
}

interface Bucket {
  losses: KeyedLoss[];
  /** Records that reached each stream's store, with their arrival order there. */
  atStore: { stream: number; seq: number; record: SpanRecord }[];
}

interface CompiledStream {
  readonly processors: StreamProcessor[];
  readonly emits: Emit[];
  readonly store: Store;
  readonly storeCtx: ProcessorContext;
  readonly summary: StreamSummary;
  /** The stream's number among the sealed streams, when it is sealed. */
  readonly log?: number;
}

/**
 * The logging pipeline as records arrive, in arrival (span end) order: routing, each stream's processors
 * in order, then the stream's store. What it loses is kept per run until the run is taken, so a run can
 * be compared and forgotten while the rest of the input is still to come. Pure: no clock, no I/O.
 */
export class Pipeline {
  private readonly buckets = new Map<string, Bucket>();
  private lastTraceId = "";
  private lastBucket: Bucket | undefined;
  private readonly unknownKeyed: { key: [number, number, number]; construct: UnknownConstruct }[] = [];
  private readonly streams: CompiledStream[];
  private readonly router: (record: SpanRecord) => readonly number[];
  private lossSeq = 0;
  private storeSeq = 0;
  private compiled = false;
  /** The collector feature gates switched on, `feature_gates` over the modelled collector's defaults. */
  private readonly featureGates: ReadonlySet<string>;
  /** Whether some stream is sealed: then each run's summaries carry its own verification. */
  private readonly sealed: boolean;
  /** Whether several streams are sealed: a record two of them store is stringified once (RunLines). */
  private readonly sealedMany: boolean;
  /** The summaries every run shares when no stream is sealed. */
  private readonly plainSummaries: readonly StreamSummary[];
  /** The SDK stage's context: the stage runs per run, outside, before records arrive here. */
  readonly sdkContext: ProcessorContext;

  /**
   * `sealer` seals the sealed streams' runs: in this thread by default. One that seals elsewhere
   * confirms its seals later (Sealer): until then a run's sealed streams carry no seal of it.
   */
  constructor(
    private readonly config: LoggingConfig,
    private readonly sealer: Sealer = new InThreadSealer(),
  ) {
    let stage = 0;
    let logs = 0;
    // Resolved before any processor is compiled; reported in the place the config names them.
    const unmodelledGates: UnknownConstruct[] = [];
    this.featureGates = resolveFeatureGates(config.feature_gates ?? [], unmodelledGates);
    this.sdkContext = this.context("sdk", undefined, stage++, -1);
    this.router = compileRouter(config.streams, this.context("routing", undefined, stage++, -1));
    for (const construct of unmodelledGates) {
      this.context("feature_gates", undefined, stage, -1).unknown.push(construct);
    }
    this.streams = config.streams.map((stream, i) => {
      const processors = stream.processors.map((p, j) =>
        compileProcessor(
          p,
          this.context(`${stream.name}/${processorName(p)}[${j}]`, stream.name, stage++, i),
        ),
      );
      const storeCtx = this.context(`${stream.name}/store`, stream.name, stage++, i);
      const store = compileStore(stream, storeCtx);
      const emits: Emit[] = [];
      for (let j = processors.length; j >= 0; j--) {
        if (j === processors.length) {
          emits[j] = (r) => {
            this.bucket(r.traceId).atStore.push({ stream: i, seq: this.storeSeq++, record: r });
          };
        } else {
          const next = emits[j + 1]!;
          const p = processors[j]!;
          emits[j] = (r) => p.push(r, next);
        }
      }
      const summary: StreamSummary = {
        ...summarizeStream(stream, store),
        samplers: processors.flatMap((p) => (p.sampler ? [p.sampler] : [])),
        notes: processors.flatMap((p) => (p.note ? [p.note] : [])),
      };
      return {
        processors,
        emits,
        store,
        storeCtx,
        summary,
        ...(stream.integrity === "merkle-checkpoints" ? { log: logs++ } : {}),
      };
    });
    this.compiled = true;
    this.sealed = logs > 0;
    this.sealedMany = logs > 1;
    this.plainSummaries = this.streams.map((s) => s.summary);
  }

  /** One record arrives (after the SDK stage): records arrive in span end order. */
  push(record: SpanRecord): void {
    const into = this.router(record);
    for (let k = 0; k < into.length; k++) this.streams[into[k]!]!.emits[0]!(record);
  }

  /** Time has reached `time`: every record still to arrive ends at or after it. */
  advance(time: bigint): void {
    for (const s of this.streams) {
      let t = time;
      for (let j = 0; j < s.processors.length; j++) {
        const p = s.processors[j]!;
        if (p.advance) t = p.advance(t, s.emits[j + 1]!);
      }
    }
  }

  /** Whether some processor still holds records of this trace, undecided. */
  holds(traceId: string): boolean {
    for (const s of this.streams) for (const p of s.processors) if (p.holds?.(traceId)) return true;
    return false;
  }

  /**
   * Stores what reached each store of this run as seen at `auditTime`, hands it to the sealer where the
   * stream is sealed, and hands it over. No record of the run may arrive after this.
   */
  take(traceId: string, auditTime: bigint): RunOutput {
    const bucket = this.bucket(traceId);
    const stored: KeyedStored[] = [];
    // Stored records come in store order; by stream too unless several streams stored the run.
    let byStream = true;
    for (const { stream, seq, record } of bucket.atStore) {
      const s = this.streams[stream]!;
      const lossesBefore = bucket.losses.length;
      const kept = s.store.keep(record, auditTime);
      // Store losses sit where the store met the record, as the whole-input store emitted them.
      for (let k = lossesBefore; k < bucket.losses.length; k++) {
        const l = bucket.losses[k]!;
        bucket.losses[k] = { stage: l.stage, seq, loss: l.loss };
      }
      if (kept) {
        if (stored.length > 0 && stream < stored[stored.length - 1]!.stream) byStream = false;
        stored.push({ stream, seq, stored: kept });
      }
    }
    this.buckets.delete(traceId);
    this.lastBucket = undefined;
    const lines = this.sealedMany ? new RunLines() : undefined;
    const streams = this.sealed
      ? this.streams.map((s, i) => {
          if (s.log === undefined) return s.summary;
          const kept = stored.filter((k) => k.stream === i).map((k) => k.stored);
          const sealed = this.sealer.seal(s.log, linesOf(kept, lines));
          return sealed ? { ...s.summary, sealed } : s.summary;
        })
      : this.plainSummaries;
    for (const s of this.streams) for (const p of s.processors) p.release?.(traceId);
    if (!byStream) stored.sort((a, b) => a.stream - b.stream || a.seq - b.seq);
    const losses = bucket.losses;
    if (!inOrder(losses)) losses.sort(byStageThenSeq);
    // The bucket lets go of the run: if it was promoted to V8's old generation, the young collector
    // takes what it references as live until the next full collection, and the run's records and losses
    // would be promoted and die in old space (the tail sampler's entries do the same, TailBuffer.drop).
    bucket.atStore = [];
    bucket.losses = [];
    return { stored, losses, streams };
  }

  /** The streams with each sealed log as a whole (once every seal is confirmed). */
  summaries(): StreamSummary[] {
    return this.streams.map((s) =>
      s.log === undefined ? s.summary : { ...s.summary, sealed: this.sealer.summary(s.log) },
    );
  }

  /** What the pipeline does not model, in the order the whole-input model reported it. */
  unknown(): UnknownConstruct[] {
    return this.unknownKeyed
      .slice()
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2])
      .map((u) => u.construct);
  }

  get streamCount(): number {
    return this.config.streams.length;
  }

  private bucket(traceId: string): Bucket {
    // A run's records mostly reach the stores one after another: the last bucket, without a lookup.
    if (this.lastBucket !== undefined && this.lastTraceId === traceId) return this.lastBucket;
    let b = this.buckets.get(traceId);
    if (!b) {
      b = { losses: [], atStore: [] };
      this.buckets.set(traceId, b);
    }
    this.lastTraceId = traceId;
    this.lastBucket = b;
    return b;
  }

  private context(stage: string, stream: string | undefined, ordinal: number, streamIndex: number) {
    return {
      stage,
      stream,
      featureGates: this.featureGates,
      losses: {
        push: (loss: LossEvent) =>
          this.bucket(loss.traceId).losses.push({ stage: ordinal, seq: this.lossSeq++, loss }),
      },
      unknown: {
        // A stream's processors were compiled, then ran, before the next stream was compiled.
        push: (construct: UnknownConstruct) =>
          this.unknownKeyed.push({
            key: [streamIndex, this.compiled && streamIndex >= 0 ? 1 : 0, this.unknownKeyed.length],
            construct,
          }),
      },
    };
  }
}

function byStageThenSeq(a: KeyedLoss, b: KeyedLoss): number {
  return a.stage - b.stage || a.seq - b.seq;
}

/** Whether the losses are already by stage then emission (a run's usually are: one stage loses it). */
function inOrder(losses: readonly KeyedLoss[]): boolean {
  for (let i = 1; i < losses.length; i++) if (byStageThenSeq(losses[i - 1]!, losses[i]!) > 0) return false;
  return true;
}
