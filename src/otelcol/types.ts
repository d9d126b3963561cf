import type { Location } from "../errors.js";
import type { UnknownConstruct } from "../pipeline/types.js";

/**
 * A construct of the collector config that trailcheck does not model (a processor type, a connector, an
 * OTTL condition, an unset variable, an unknown retention). Structurally a pipeline `UnknownConstruct`
 * (stage `otelcol`), plus where it is written.
 */
export interface OtelcolUnknown extends UnknownConstruct {
  /** Where the construct is written: file, line and field path. */
  readonly location: Location;
}

/** One `service.pipelines` entry as read, and what became of it. */
export interface PipelineInfo {
  /** `traces`, `traces/llm`, `metrics`, … */
  readonly id: string;
  readonly signal: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
  /** Only traces pipelines are modelled; metrics and logs pipelines are read, checked and listed here. */
  readonly modelled: boolean;
  /** Names of the streams whose path runs through this pipeline. */
  readonly streams: readonly string[];
  readonly location: Location;
}

/** Where a processor of a built stream comes from in the collector config. */
export interface ProcessorOrigin {
  /** The component id, `probabilistic_sampler/llm`. */
  readonly id: string;
  /** The pipeline that lists it. */
  readonly pipeline: string;
  readonly location: Location;
}

/** How one stream of the built LoggingConfig was derived. */
export interface StreamOrigin {
  readonly name: string;
  /** The pipelines the records pass, in order (`traces`, `traces/llm`). */
  readonly path: readonly string[];
  /** The exporter that stores the stream. */
  readonly exporter: string;
  /** One entry per `stream.processors[i]`, same order. */
  readonly processors: readonly ProcessorOrigin[];
  /** The routing condition the stream's match was derived from, in OTTL, if any. */
  readonly condition?: string;
  /** Readings of the storage facts (file rotation, side-file entry, …). */
  readonly notes: readonly string[];
}
