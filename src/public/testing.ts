/**
 * `trailcheck/testing`: what a vitest suite needs — the matchers, `recordResult` (how a test hands its
 * result to `trailcheck run`'s report), the project's settings, incidents and property-based runs.
 * Every name is listed on purpose; `public/api.test.ts` pins them.
 */

export { assertProperties, formatPropertiesFailure, PropertiesFailure } from "../fuzz/properties-failure.js";
export {
  type SavedCounterexample,
  type SaveOptions,
  saveCounterexample,
} from "../fuzz/save-counterexample.js";
export {
  checkIncident,
  type IncidentContext,
  type IncidentResult,
  loadIncidentContext,
} from "../incidents/check.js";
export {
  discoverIncidents,
  type IncidentEntry,
  type LoadedIncident,
  loadIncident,
  sharedIdError,
} from "../incidents/load.js";
export { type Incident, IncidentSchema } from "../incidents/schema.js";
export { DEFAULTS, dateSeed } from "../project/defaults.js";
export { ENVIRONMENT } from "../project/environment.js";
export {
  type AuditTime,
  auditTime,
  loadProjectLogging,
  type ProfileChoice,
  projectProfile,
} from "../project/judging.js";
export {
  type Project,
  type ProjectFlags,
  projectFiles,
  replayFlags,
  resolveProject,
} from "../project/project.js";
export {
  type AgentOutcome,
  agentOutcome,
  type ResultInput,
  type ResultKind,
  type ResultMeta,
  readResultMeta,
  recordResult,
} from "../report/meta.js";
export { agentRunArb, renderRun, type SyntheticRun } from "../synth/agent-run.js";
export { SYNTH_CONVENTIONS, type SynthConvention, type SynthOptions } from "../synth/options.js";
export {
  type Counterexample,
  checkProperties,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  type PropertiesResult,
  type PropertyName,
  type PropertyOptions,
  type PropertyViolation,
} from "../synth/properties.js";
export { installMatchers } from "../testing/install-matchers.js";
export { type Checked, formatGap, matchers, toBeReconstructable, toKeepFacts } from "../testing/matchers.js";
