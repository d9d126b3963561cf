import type { Processor, ProcessorName } from "../model/processors.js";
import { processorName } from "../model/processors.js";
import type { ProcessorContext, StreamProcessor } from "./processor.js";
import { compileAttributesProcessor } from "./processors/attributes-processor.js";
import { compileFilter } from "./processors/filter.js";
import { compileRedaction } from "./processors/redaction.js";
import { compileTransform } from "./processors/transform.js";
import { compileProbabilisticSampler } from "./sampling/probabilistic-sampler.js";
import { compileTailSampling } from "./sampling/tail-sampling.js";

type Compile = (settings: never, ctx: ProcessorContext) => StreamProcessor;

const passThrough =
  (note: string): Compile =>
  () => ({ note, push: (record, emit) => emit(record) });

/** Every processor the simulation knows, by its collector name. */
export const PROCESSORS: Record<ProcessorName, Compile> = {
  probabilistic_sampler: compileProbabilisticSampler,
  tail_sampling: compileTailSampling,
  redaction: compileRedaction,
  attributes: compileAttributesProcessor,
  filter: compileFilter,
  transform: compileTransform,
  memory_limiter: passThrough(
    "memory_limiter: modelled as losing nothing — it refuses data only under memory pressure, which a recorded trace does not carry",
  ),
  batch: passThrough("batch: loses nothing by itself"),
};

export function compileProcessor(entry: Processor, ctx: ProcessorContext): StreamProcessor {
  const name = processorName(entry);
  const settings = (entry as Record<string, unknown>)[name];
  return PROCESSORS[name](settings as never, ctx);
}
