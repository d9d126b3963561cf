import { dirname, isAbsolute, resolve } from "node:path";
import { type LoadedLogging, loadLoggingSource } from "../config/source.js";
import { InputError } from "../errors.js";
import { durationNanos } from "../model/duration.js";
import type { Profile } from "../model/profile.js";
import { resolveProfile } from "../profiles/resolve.js";
import { DEFAULTS } from "./defaults.js";
import { type Project, shownPath } from "./project.js";

/**
 * What a verdict is judged under, decided once for every verb and suite:
 *
 * - the logging config: the project's (`project.ts`), which a verb must have;
 * - the compliance profile: `--profile`, else the incident's own `expect.profile` (when judging an
 *   incident), else `profile:` of the project config, else the logging config's `compliance`, else
 *   `reconstructable`;
 * - the audit time: `--audit-after`, else the incident's `expect.auditAfter`, else the profile's minimum
 *   retention (when a regulator may still ask), else right after the run.
 */

/** The project's logging config; bad input (exit 2) when nothing names one. */
export async function loadProjectLogging(project: Project): Promise<LoadedLogging> {
  if (!project.logging.logging && !project.logging.otelcol?.length && !project.logging.storage) {
    throw new InputError(
      "no-logging-config",
      `no logging config: pass --logging FILE or --otelcol FILE, or set 'logging: FILE' in ${DEFAULTS.configFile}`,
      project.file ? { file: project.file, field: "logging" } : {},
    );
  }
  const loaded = await loadLoggingSource(project.logging);
  // Shown as the user would type them; messages from the load above name the files as given.
  const files = project.logging.otelcol ?? [project.logging.logging!];
  return { ...loaded, label: files.map((f) => shownPath(f, process.cwd())).join(", ") };
}

/**
 * What an incident being judged says about its judging: its own profile and audit time, and the file
 * a relative profile path is read from. An incident as `incidents/` loads it is one.
 */
export interface JudgedIncident {
  readonly file: string;
  readonly incident: {
    readonly id: string;
    readonly expect: { readonly profile?: string | undefined; readonly auditAfter: string };
  };
}

export interface ProfileChoice {
  readonly profile: Profile;
  /** What named it: `--profile`, an incident id, the project file, `compliance of FILE`, `default`. */
  readonly from: string;
}

/** The profile by the order above; `logging` is needed only when nothing before its `compliance` names one. */
export async function projectProfile(
  project: Project,
  logging: LoadedLogging | undefined,
  incident?: JudgedIncident,
): Promise<ProfileChoice> {
  const flag = project.from.profile === "--profile" ? project.profile : undefined;
  if (flag !== undefined) return { profile: await resolveProfile(flag), from: "--profile" };
  const own = incident?.incident.expect.profile;
  if (own !== undefined) {
    const spec =
      /\.(ya?ml|json)$/i.test(own) && !isAbsolute(own) ? resolve(dirname(incident!.file), own) : own;
    return { profile: await resolveProfile(spec, incident!.file), from: incident!.incident.id };
  }
  if (project.profile !== undefined) {
    return { profile: await resolveProfile(project.profile, project.file), from: project.from.profile };
  }
  const compliance = logging?.config.compliance;
  if (compliance !== undefined) {
    return {
      profile: await resolveProfile(compliance, logging!.label),
      from: `compliance of ${logging!.label}`,
    };
  }
  return { profile: await resolveProfile(DEFAULTS.profile), from: "default" };
}

export interface AuditTime {
  readonly ns: bigint;
  /** As written: `30d`, `6mo`. */
  readonly text: string;
  readonly from: string;
}

/** The audit time by the order above. */
export function auditTime(
  project: Pick<Project, "auditAfter">,
  profile: Profile,
  incident?: JudgedIncident,
): AuditTime {
  const [text, from] =
    project.auditAfter !== undefined
      ? [project.auditAfter, "--audit-after"]
      : incident !== undefined
        ? [incident.incident.expect.auditAfter, incident.incident.id]
        : profile.retention.minimum !== undefined
          ? [profile.retention.minimum, `minimum retention of ${profile.name}`]
          : ["0s", "default"];
  const ns = durationNanos(text);
  if (ns === undefined) {
    const what = from === "--audit-after" ? from : `the audit time (${from})`;
    throw new InputError(
      "bad-option",
      `${what} must be a duration such as 7d, 30d, 6mo, 1y or 12h, not '${text}'`,
    );
  }
  return { ns, text, from };
}
