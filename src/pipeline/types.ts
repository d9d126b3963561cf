import type { Cause } from "../model/gap.js";
import type { CorrelationField, Integrity } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";

/**
 * What a loss touched. Attribute keys are the span attribute key as is; resource attributes are written
 * `resource:<key>` and span event attributes `event[<index>]:<key>` (a dropped span event is
 * `event[<index>]` with effect `deleted`).
 */
export type LossTarget =
  | { type: "record" }
  | {
      type: "attribute";
      key: string;
      /** `inserted`: a key the span did not carry was set (recorded for the keys that mark a layer). */
      effect: "deleted" | "masked" | "hashed" | "truncated" | "changed" | "inserted";
    }
  | { type: "link"; field: CorrelationField };

/** One fact of the truth that the pipeline lost or changed, with the stage and the reason. */
export interface LossEvent {
  /** The truth record affected. */
  traceId: string;
  spanId: string;
  /** Undefined for losses before routing (sdk export, routing). */
  stream?: string;
  /** `sdk`, `routing`, `<stream>/<processor>[<index>]`, or `<stream>/store`. */
  stage: string;
  cause: Cause;
  target: LossTarget;
  /** Human-readable why, with the numbers. */
  detail: string;
}

/** A record as the store holds it at audit time. */
export interface StoredRecord {
  /** Attributes as stored; ids intact even where the store does not keep them (see `missingLinks`). */
  record: SpanRecord;
  stream: string;
  /** Correlation fields the store does not keep for this record. */
  missingLinks: CorrelationField[];
  /** Past the stream's `available` window at audit time (still retained, but archived). */
  archived: boolean;
}

/** A setting or expression the simulation does not model: reported, never assumed harmless. */
export interface UnknownConstruct {
  stage: string;
  construct: string;
  message: string;
}

/** A sampler in a stream and the chance that it keeps a trace whatever its content. */
export interface SamplerSummary {
  stage: string;
  processor: "probabilistic_sampler" | "tail_sampling";
  /** `hash_seed`, `proportional`, `equalizing` for the probabilistic sampler; `policies` for tail sampling. */
  mode: string;
  /**
   * The probability that a trace is kept by this sampler when no content-based rule applies: exact for
   * the probabilistic sampler (scaled rate / 16384, or (2^56 − T) / 2^56); for tail sampling the
   * content-independent probability (probabilistic and always_sample policies only), or undefined when
   * it depends on content alone.
   */
  keepProbability?: number;
  detail: string;
}

export interface StreamSummary {
  name: string;
  retentionNs?: bigint;
  availableNs?: bigint;
  correlation: CorrelationField[];
  integrity: Integrity;
  samplers: SamplerSummary[];
  /** Processors that are modelled as losing nothing, and why (memory_limiter, batch). */
  notes: string[];
  /**
   * For `integrity: merkle-checkpoints`: the stream's stored records sealed into an RFC 9162 Merkle
   * log at write time and verified at audit time, with the same code `trailcheck verify` uses.
   */
  sealed?: { size: number; root: string; valid: boolean; findings: string[] };
}

export interface StoredView {
  stored: StoredRecord[];
  losses: LossEvent[];
  unknown: UnknownConstruct[];
  streams: StreamSummary[];
}

export interface SimulateOptions {
  /** The audit happens this long after each run's last span end. */
  auditAfterNs: bigint;
}
