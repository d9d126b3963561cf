/** Property-based synthetic runs: arbitraries, properties, exact vs observed keep probabilities. */

export {
  type AgentPropertiesResult,
  type AgentPropertyOptions,
  type AgentRun,
  agentReplayCommand,
  checkAgentProperties,
  sampleScenarios,
} from "./against-agent.js";
export { agentPropertiesJson, formatAgentProperties, formatScenario } from "./against-agent-format.js";
export { agentRunArb, renderRun, type SyntheticRun } from "./agent-run.js";
export { type ScenarioArbOptions, scenarioArb } from "./agent-scenario.js";
export { type ScenarioTool, SUPPORT_AGENT_TOOLS } from "./agent-scenario-tools.js";
export { scenarioYaml } from "./agent-scenario-yaml.js";
export {
  DEFAULT_SYNTH_OPTIONS,
  isSynthConvention,
  SYNTH_CONVENTIONS,
  type SynthConvention,
  type SynthOptions,
} from "./options.js";
export {
  binomialBound,
  ObservedTally,
  observeProbabilities,
  type ProbabilityComparison,
  runClass,
} from "./probabilities.js";
export {
  assertProperties,
  type Counterexample,
  checkProperties,
  evaluateRun,
  formatPropertiesFailure,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  PropertiesFailure,
  type PropertiesResult,
  type PropertyName,
  type PropertyOptions,
  type PropertyViolation,
} from "./properties.js";
export { replayCommand } from "./replay-command.js";
export {
  type AgentPlan,
  type CallPlan,
  type RunPlan,
  runPlanArb,
  type StepPlan,
  type TurnPlan,
} from "./run-plan.js";
export { formatRunTimeline } from "./timeline.js";
