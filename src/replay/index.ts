// The replay harness: mock model endpoint, OTLP receiver, agent runner, ground truth.

export { decodeTraceRequest } from "../ingest/otlp-proto.js";
export { type Scenario, ScenarioSchema, type Turn } from "../model/scenario.js";
export type { FedToolResult, ModelApi, ModelExchange, ServedResponse, ServedToolCall } from "./exchange.js";
export { replaySkipReason, scenarioFromIncident } from "./from-incident.js";
export { type GroundTruth, groundTruth, instrumentationGaps, type TruthToolResult } from "./ground-truth.js";
export { type JudgeOptions, judgeReplay, type ReplayJudgement } from "./judge.js";
export { type JudgedReplay, type JudgeSettings, replayAndJudge } from "./judged-replay.js";
export { type MockModel, type MockModelOptions, startMockModel } from "./mock-model.js";
export {
  type MalformedTelemetry,
  type OtlpReceiver,
  type OtlpReceiverOptions,
  type ReceivedBatch,
  startOtlpReceiver,
} from "./otlp-receiver.js";
export {
  type FailureKind,
  type ReplayFailure,
  type ReplayOptions,
  type ReplayResult,
  type ReplayTimings,
  runReplay,
  runReplays,
} from "./runner.js";
export { loadScenario, parseScenario } from "./scenario.js";
export { loadReplayTarget, type ReplayTarget } from "./target.js";
