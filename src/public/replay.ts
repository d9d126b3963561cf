/**
 * `trailcheck/replay`: run a real agent against a mock OpenAI-compatible model endpoint, receive its
 * OTLP telemetry on loopback, and judge what it emitted and what the pipeline keeps; property-based
 * synthetic scenarios against the agent. Not pure: runs processes and serves on loopback ports.
 * Every name is listed on purpose; `public/api.test.ts` pins them.
 */

export {
  type AgentPropertiesResult,
  type AgentPropertyOptions,
  type AgentRun,
  agentReplayCommand,
  checkAgentProperties,
  sampleScenarios,
} from "../fuzz/against-agent.js";
export { formatAgentProperties } from "../fuzz/against-agent-format.js";
export { loadScenarioDir, projectScenarioArb, toolsFromScenarios } from "../fuzz/project-scenarios.js";
export { type SaveAgentOptions, saveAgentCounterexample } from "../fuzz/save-agent-counterexample.js";
export { type Scenario, ScenarioSchema, type Turn } from "../model/scenario.js";
export type { ModelApi, ModelExchange, ServedResponse, ServedToolCall } from "../replay/exchange.js";
export { replaySkipReason, scenarioFromIncident } from "../replay/from-incident.js";
export { type GroundTruth, groundTruth, instrumentationGaps } from "../replay/ground-truth.js";
export { type JudgeOptions, judgeReplay, type ReplayJudgement } from "../replay/judge.js";
export { type JudgedReplay, type JudgeSettings, replayAndJudge } from "../replay/judged-replay.js";
export { type MockModel, type MockModelOptions, startMockModel } from "../replay/mock-model.js";
export {
  type OtlpReceiver,
  type OtlpReceiverOptions,
  type ReceivedBatch,
  startOtlpReceiver,
} from "../replay/otlp-receiver.js";
export {
  type FailureKind,
  type ReplayFailure,
  type ReplayOptions,
  type ReplayResult,
  runReplay,
  runReplays,
} from "../replay/runner.js";
export { loadScenario, parseScenario } from "../replay/scenario.js";
export { scenarioYaml } from "../replay/scenario-yaml.js";
export { type ScenarioArbOptions, scenarioArb } from "../synth/agent-scenario.js";
export { type ScenarioTool, SUPPORT_AGENT_TOOLS } from "../synth/agent-scenario-tools.js";
