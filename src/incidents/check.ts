import { dirname, isAbsolute, resolve } from "node:path";
import { PROJECT_FILE, type Project, projectLogging } from "../config/project.js";
import { loadLoggingSource } from "../config/source.js";
import { InputError } from "../errors.js";
import type { FactName } from "../model/action.js";
import { parseDuration } from "../model/duration.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile, ProfileInput } from "../model/profile.js";
import type { LayerKind } from "../model/record.js";
import { resolveProfile } from "../profiles/resolve.js";
import { type CheckResult, checkRecords } from "../reconstruct/check.js";
import { evaluateFacts, type FactOutcome } from "./fact-outcome.js";
import { parseFactRef } from "./fact-ref.js";
import type { LoadedIncident } from "./load.js";
import type { Incident } from "./schema.js";

/** The project's current logging config and profile, which every incident is checked against. */
export interface IncidentContext {
  readonly loggingFile: string;
  readonly config: LoggingConfig;
  /** `profile:` of trailcheck.config.yaml; else the logging config's `compliance`. */
  readonly profile?: string | ProfileInput;
}

export async function loadIncidentContext(
  project: Project,
  overrides: { logging?: string; profile?: string } = {},
): Promise<IncidentContext> {
  const source = overrides.logging ? { logging: overrides.logging } : projectLogging(project);
  if (!source.logging && !source.otelcol) {
    throw new InputError(
      "no-logging-config",
      `no logging config to check incidents against: set 'logging: FILE' (or 'otelcol: [FILE]') in ${PROJECT_FILE}`,
      { file: project.file ?? PROJECT_FILE, field: "logging" },
    );
  }
  const { config, label } = await loadLoggingSource(source);
  return { loggingFile: label, config, profile: overrides.profile ?? project.profile ?? config.compliance };
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

/** The profile an incident is checked under: its own, else the project's. Files are relative to the incident. */
export async function incidentProfile(
  loaded: LoadedIncident,
  context: { profile?: string | ProfileInput },
): Promise<Profile> {
  const own = loaded.incident.expect.profile;
  if (own === undefined) return resolveProfile(context.profile);
  const spec = /\.(ya?ml|json)$/i.test(own) && !isAbsolute(own) ? resolve(dirname(loaded.file), own) : own;
  return resolveProfile(spec, loaded.file);
}

/**
 * Pushes an incident's recorded run through a logging config at the incident's audit time, under the
 * profile with the incident's facts required.
 */
export async function checkIncident(
  loaded: LoadedIncident,
  context: IncidentContext,
): Promise<IncidentResult> {
  const { incident } = loaded;
  const profile = requireFacts(await incidentProfile(loaded, context), incident.expect.facts);
  const auditAfterNs = parseDuration(incident.expect.auditAfter) ?? 0n;
  const result = checkRecords(loaded.records, context.config, profile, { auditAfterNs });
  return { ...result, incident, profile, facts: evaluateFacts(result, incident.expect.facts) };
}
