import type { LoadedLogging } from "../config/source.js";
import type { FactName } from "../model/action.js";
import type { Profile } from "../model/profile.js";
import type { LayerKind } from "../model/record.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import type { Project } from "../project/project.js";
import { type CheckResult, checkRecords } from "../reconstruct/check.js";
import { evaluateFacts, type FactOutcome } from "./fact-outcome.js";
import { parseFactRef } from "./fact-ref.js";
import type { LoadedIncident } from "./load.js";
import type { Incident } from "./schema.js";

/** The project and its current logging config, which every incident is checked against. */
export interface IncidentContext {
  readonly project: Project;
  readonly logging: LoadedLogging;
}

export async function loadIncidentContext(project: Project): Promise<IncidentContext> {
  return { project, logging: await loadProjectLogging(project) };
}

/** The profile with the incident's facts required on top, so each is decided even if the profile skips it. */
export function requireFacts(profile: Profile, refs: readonly string[]): Profile {
  const required: Partial<Record<LayerKind, FactName[]>> = { ...profile.required };
  for (const text of refs) {
    const ref = parseFactRef(text);
    if ("error" in ref) continue;
    const facts = required[ref.kind] ?? [];
    if (!facts.includes(ref.fact)) required[ref.kind] = [...facts, ref.fact];
  }
  return { ...profile, required };
}

/** What an incident's test asserts on: the engine's result plus the fate of each named fact. */
export interface IncidentResult extends CheckResult {
  readonly incident: Incident;
  readonly profile: Profile;
  readonly facts: readonly FactOutcome[];
}

/**
 * Pushes an incident's recorded run through the project's logging config at the incident's audit time,
 * under its profile (`project/judging.ts`) with the incident's facts required.
 */
export async function checkIncident(
  loaded: LoadedIncident,
  context: IncidentContext,
): Promise<IncidentResult> {
  const { incident } = loaded;
  const chosen = await projectProfile(context.project, context.logging, loaded);
  const profile = requireFacts(chosen.profile, incident.expect.facts);
  const audit = auditTime(context.project, chosen.profile, loaded);
  const result = checkRecords(loaded.records, context.logging.config, profile, { auditAfterNs: audit.ns });
  return { ...result, incident, profile, facts: evaluateFacts(result, incident.expect.facts) };
}
