export { makeProbabilisticSampler, samplingPriority } from "./probabilistic-sampler.js";
export { simulate } from "./simulate.js";
export { tailProbabilisticThreshold, tailTraceHash } from "./tail-probabilistic.js";
export type {
  LossEvent,
  LossTarget,
  SamplerSummary,
  SimulateOptions,
  StoredRecord,
  StoredView,
  StreamSummary,
  UnknownConstruct,
} from "./types.js";
