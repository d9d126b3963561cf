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
  readonly losses: LossEvent[];
  readonly unknown: UnknownConstruct[];
}

/** A processor compiled once for one stream: regexes, OTTL and thresholds are prepared up front. */
export interface StreamProcessor {
  /**
   * Runs over every record of the stream in arrival (span end) order and returns the records that pass,
   * in the same order. A record that is changed is a new object; unchanged records are passed through.
   */
  process(records: readonly SpanRecord[]): SpanRecord[];
  /** For samplers: what they keep whatever the content. */
  readonly sampler?: SamplerSummary;
  /** For processors modelled as losing nothing: why. */
  readonly note?: string;
}

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
