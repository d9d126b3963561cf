/**
 * `trailcheck/testing`: what a vitest suite needs — the matchers, `recordResult` (how a test hands its
 * result to `trailcheck run`'s report), the project's settings, incidents and property-based runs.
 * Every name is listed on purpose; `public/api.test.ts` pins them.
 */
export { auditAfter } from "../cli/options.js";
export {
  loadProject,
  loadProjectFromEnv,
  PROJECT_FILE,
  type Project,
  projectFiles,
  projectLogging,
} from "../config/project.js";
export {
  checkIncident,
  type IncidentContext,
  type IncidentResult,
  incidentProfile,
  loadIncidentContext,
} from "../incidents/check.js";
export {
  discoverIncidents,
  type IncidentEntry,
  type LoadedIncident,
  loadIncident,
} from "../incidents/load.js";
export { type Incident, IncidentSchema } from "../incidents/schema.js";
export {
  type ResultInput,
  type ResultKind,
  type ResultMeta,
  readResultMeta,
  recordResult,
} from "../report/meta.js";
export { agentRunArb, renderRun, type SyntheticRun } from "../synth/agent-run.js";
export { SYNTH_CONVENTIONS, type SynthConvention, type SynthOptions } from "../synth/options.js";
export { loadPropertySettings, type PropertySettings } from "../synth/project-settings.js";
export {
  assertProperties,
  type Counterexample,
  checkProperties,
  DEFAULT_NUM_RUNS,
  formatPropertiesFailure,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  PropertiesFailure,
  type PropertiesResult,
  type PropertyName,
  type PropertyOptions,
  type PropertyViolation,
} from "../synth/properties.js";
export { installMatchers } from "../testing/install-matchers.js";
export { type Checked, formatGap, matchers, toBeReconstructable, toKeepFacts } from "../testing/matchers.js";
