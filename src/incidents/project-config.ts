import { access } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { loadYaml } from "../yaml/load.js";

export const PROJECT_CONFIG_FILE = "trailcheck.config.yaml";

const ScrubPatternSchema = z.strictObject({
  /** Names the token: `<name-1>`. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
  /** A JavaScript regular expression; every match is scrubbed. */
  pattern: z.string(),
});

/**
 * The parts of `trailcheck.config.yaml` the incident commands read. Other keys (the agent, reports)
 * belong to other verbs and are passed over.
 */
export const ProjectConfigSchema = z.looseObject({
  logging: z.string().optional(),
  profile: z.string().optional(),
  incidents: z.string().optional(),
  scrub: z
    .strictObject({
      patterns: z.array(ScrubPatternSchema).default([]),
      /** Attribute keys whose whole value is scrubbed, e.g. `user.id`, `enduser.id`. */
      keys: z.array(z.string()).default([]),
    })
    .optional(),
});

export interface ProjectConfig {
  /** The folder paths are resolved against: the config file's folder, or the working directory. */
  readonly root: string;
  /** The config file, when there is one. */
  readonly file?: string;
  /** The logging config file (absolute), when configured. */
  readonly logging?: string;
  /** A built-in profile name, or a profile file (absolute). */
  readonly profile?: string;
  /** The incidents folder (absolute); `incidents/` by default. */
  readonly incidentsDir: string;
  readonly scrub: { patterns: { name: string; pattern: RegExp }[]; keys: string[] };
}

function compile(pattern: string, file: string, i: number): RegExp {
  try {
    return new RegExp(pattern, "g");
  } catch (err) {
    throw new InputError("bad-project-config", `invalid regular expression: ${(err as Error).message}`, {
      file,
      field: `scrub.patterns[${i}].pattern`,
    });
  }
}

/** Reads `trailcheck.config.yaml` in `root` if it exists; without one, every setting has its default. */
export async function loadProjectConfig(root: string = process.cwd()): Promise<ProjectConfig> {
  const file = join(root, PROJECT_CONFIG_FILE);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { root, incidentsDir: join(root, "incidents"), scrub: { patterns: [], keys: [] } };
  const raw = await loadYaml(file, ProjectConfigSchema, "bad-project-config");
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const profile = raw.profile && /\.(ya?ml|json)$/i.test(raw.profile) ? at(raw.profile) : raw.profile;
  return {
    root,
    file,
    logging: raw.logging ? at(raw.logging) : undefined,
    profile,
    incidentsDir: at(raw.incidents ?? "incidents"),
    scrub: {
      patterns: (raw.scrub?.patterns ?? []).map((p, i) => ({
        name: p.name,
        pattern: compile(p.pattern, file, i),
      })),
      keys: raw.scrub?.keys ?? [],
    },
  };
}
