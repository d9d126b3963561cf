export { type AddedIncident, type AddIncidentOptions, addIncident } from "./add.js";
export {
  checkIncident,
  type IncidentContext,
  type IncidentResult,
  loadIncidentContext,
  requireFacts,
} from "./check.js";
export { defaultFacts } from "./default-facts.js";
export { BUILTIN_DETECTORS, type Detector, type Hit } from "./detectors.js";
export { type CheckedRuns, evaluateFacts, type FactOutcome } from "./fact-outcome.js";
export { type FactRef, factRef, formatFactRef, parseFactRef } from "./fact-ref.js";
export { INCIDENT_SCHEMA_PATH, incidentJsonSchema, incidentJsonSchemaText } from "./json-schema.js";
export { listIncidents } from "./list.js";
export {
  discoverIncidents,
  type IncidentEntry,
  type LoadedIncident,
  loadIncident,
  parseIncident,
} from "./load.js";
export { deriveScenario } from "./scenario.js";
export * from "./schema.js";
export {
  formatScrubReport,
  Scrubber,
  type ScrubOptions,
  type ScrubReport,
  scrubRecords,
  scrubScenario,
} from "./scrub.js";
export { formatTimeline } from "./timeline.js";
export { writeIncident } from "./write.js";
