import { InputError } from "../errors.js";
import type { Cause } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import type { LossEvent, LossTarget, SamplerSummary, UnknownConstruct } from "./types.js";

/** Where a compiled processor reports what it loses and what it cannot model. */
export interface ProcessorContext {
  /** Undefined before routing. */
  readonly stream: string | undefined;
  /** `<stream>/<processor>[<index>]`, `sdk`, `routing` or `<stream>/store`. */
  readonly stage: string;
  /** Where losses go: an array, or the streaming pipeline's per-run buckets. */
  readonly losses: { push(loss: LossEvent): unknown };
  readonly unknown: { push(construct: UnknownConstruct): unknown };
  /** Collector feature gates switched on (`--feature-gates`), where they change what a processor does. */
  readonly featureGates?: ReadonlySet<string>;
}

/** Hands a record that leaves a processor to the next one. */
export type Emit = (record: SpanRecord) => void;

/**
 * A processor compiled once for one stream: regexes, OTTL and thresholds are prepared up front. Records
 * are pushed one at a time in arrival (span end) order; a record that is changed is a new object,
 * unchanged records are passed on as they are.
 */
export interface StreamProcessor {
  /** Takes one arriving record and emits the records that leave the processor now, in order. */
  push(record: SpanRecord, emit: Emit): void;
  /**
   * Time has reached `time` (unix ns): every record still to arrive ends at or after it. Processors that
   * hold records (tail sampling) decide what was due before it. Returns the time the next processor may
   * advance to: `time`, or earlier while records that ended before it are still held.
   */
  advance?(time: bigint, emit: Emit): bigint;
  /** Whether records of this trace are held, waiting for a decision. */
  holds?(traceId: string): boolean;
  /** No record of this trace arrives any more: per-trace state can go. */
  release?(traceId: string): void;
  /** For samplers: what they keep whatever the content. */
  readonly sampler?: SamplerSummary;
  /** For processors modelled as losing nothing: why. */
  readonly note?: string;
}

/** A processor that decides each record on its own: `each` returns the record to pass on, or undefined. */
export function perRecord(
  each: (record: SpanRecord) => SpanRecord | undefined,
  extra: Omit<StreamProcessor, "push"> = {},
): StreamProcessor {
  return {
    ...extra,
    push(record, emit) {
      const out = each(record);
      if (out !== undefined) emit(out);
    },
  };
}

/** Later than any span end: advancing to it decides everything held. */
export const END_OF_TIME = 1n << 80n;

export function recordLoss(
  ctx: ProcessorContext,
  record: SpanRecord,
  cause: Cause,
  target: LossTarget,
  detail: string,
): LossEvent {
  const loss: LossEvent = {
    traceId: record.traceId,
    spanId: record.spanId,
    stage: ctx.stage,
    cause,
    target,
    detail,
  };
  if (ctx.stream !== undefined) loss.stream = ctx.stream;
  ctx.losses.push(loss);
  return loss;
}

export const RECORD: LossTarget = Object.freeze({ type: "record" }) as LossTarget;

export function reportUnknown(ctx: ProcessorContext, construct: string, message: string): void {
  ctx.unknown.push({ stage: ctx.stage, construct, message });
}

/**
 * Reports settings a processor does not model. Collector configs carry many settings; the ones that
 * change what is kept must never be silently ignored.
 */
export function reportUnknownSettings(
  ctx: ProcessorContext,
  settings: Record<string, unknown>,
  modelled: readonly string[],
  processor: string,
): void {
  for (const key of Object.keys(settings)) {
    if (!modelled.includes(key) && settings[key] !== undefined) {
      reportUnknown(
        ctx,
        `${processor}.${key}`,
        `setting "${key}" of ${processor} is not modelled; its effect on what is kept is unknown`,
      );
    }
  }
}

/** How attribute keys of resource and span events are named in loss targets. */
export function resourceKey(key: string): string {
  return `resource:${key}`;
}

export function eventKey(index: number, key?: string): string {
  return key === undefined ? `event[${index}]` : `event[${index}]:${key}`;
}

/** A setting the collector itself would refuse at start-up: the check stops with exit code 2. */
export class PipelineConfigError extends InputError {
  constructor(
    readonly stage: string,
    /** The setting, from the processor's name down: `redaction.blocked_values[2]`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super("pipeline-config", `${stage}: ${reason}`, { field });
  }
}

export function configError(ctx: ProcessorContext, field: string, message: string): never {
  throw new PipelineConfigError(ctx.stage, field, message);
}
