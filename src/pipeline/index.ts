export { makeProbabilisticSampler, samplingPriority } from "./sampling/probabilistic-sampler.js";
export { tailProbabilisticThreshold, tailTraceHash } from "./sampling/tail-probabilistic.js";
export { simulate } from "./simulate.js";
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
