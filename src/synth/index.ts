/** Property-based synthetic runs: arbitraries, properties, exact vs observed keep probabilities. */

export { agentRunArb, renderRun, type SyntheticRun } from "./agent-run.js";
export { type ScenarioArbOptions, scenarioArb } from "./agent-scenario.js";
export { type ScenarioTool, SUPPORT_AGENT_TOOLS } from "./agent-scenario-tools.js";
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
  type Counterexample,
  checkProperties,
  evaluateRun,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
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
