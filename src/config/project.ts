import { access } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { loadYaml } from "../yaml/load.js";
import type { LoggingSource } from "./source.js";

/** The project config's file name; `trailcheck run` looks for it in the working directory. */
export const PROJECT_FILE = "trailcheck.config.yaml";

/**
 * `trailcheck.config.yaml`: what `trailcheck run` and the suites read. Paths are relative to the
 * file. Keys other verbs own (e.g. `scrub` for `incident add`) are passed over, not rejected.
 */
export const ProjectFileSchema = z.looseObject({
  /** The logging config the agent runs with today (native YAML). */
  logging: z.string().min(1).optional(),
  /** A built-in profile name or a profile file; default: the logging config's `compliance`. */
  profile: z.string().min(1).optional(),
  /** The folder of incident files. */
  incidents: z.string().min(1).default("incidents"),
  /** The folder `trailcheck run` writes its reports into. */
  output: z.string().min(1).default("reports"),
  /** The vitest suites `trailcheck run` runs. */
  suites: z.string().min(1).default("suites"),
  properties: z
    .strictObject({
      /** fast-check runs per property. */
      numRuns: z.number().int().positive().default(200),
      /** A fixed seed makes every run of the properties suite the same. */
      seed: z.number().int().optional(),
    })
    .default({ numRuns: 200 }),
  /** With `otelcol`: the OpenTelemetry Collector config files and storage side file, instead of `logging`. */
  otelcol: z.array(z.string().min(1)).optional(),
  storage: z.string().min(1).optional(),
  /** What `incident add` scrubs besides the built-in detectors. */
  scrub: z
    .strictObject({
      patterns: z
        .array(
          z.strictObject({
            /** Names the token: `<name-1>`. */
            name: z.string().regex(/^[a-z][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
            /** A JavaScript regular expression; every match is scrubbed. */
            pattern: z.string(),
          }),
        )
        .default([]),
      /** Attribute keys whose whole value is scrubbed, e.g. `user.id`, `enduser.id`. */
      keys: z.array(z.string()).default([]),
    })
    .default({ patterns: [], keys: [] }),
  agent: z
    .strictObject({
      /** The command that runs the agent under test (replays). */
      command: z.string().min(1),
      /** How long one agent run may take. */
      timeout: z.string().optional(),
    })
    .optional(),
});
export type ProjectFile = z.infer<typeof ProjectFileSchema>;

/** The project config with every path made absolute. */
export interface Project {
  /** The folder the config file sits in; relative paths are resolved against it. */
  readonly root: string;
  /** The config file (absolute), or undefined when the project has none and runs on defaults. */
  readonly file?: string;
  readonly logging?: string;
  /** A built-in profile name, or an absolute profile file. */
  readonly profile?: string;
  readonly incidentsDir: string;
  readonly outputDir: string;
  readonly suitesDir: string;
  readonly properties: { numRuns: number; seed?: number };
  readonly agent?: { command: string; timeout?: string };
  /** Collector config files (absolute), when the project uses them instead of `logging`. */
  readonly otelcol?: string[];
  readonly storage?: string;
  readonly scrub: { patterns: { name: string; pattern: RegExp }[]; keys: string[] };
}

function compile(pattern: string, file: string | undefined, i: number): RegExp {
  try {
    return new RegExp(pattern, "g");
  } catch (err) {
    throw new InputError("bad-project-config", `invalid regular expression: ${(err as Error).message}`, {
      file,
      field: `scrub.patterns[${i}].pattern`,
    });
  }
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Resolves the file's relative paths against its folder. */
export function projectFrom(raw: ProjectFile, file: string | undefined, root: string): Project {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const profile = raw.profile && /\.(ya?ml|json)$/i.test(raw.profile) ? at(raw.profile) : raw.profile;
  return {
    root,
    ...(file ? { file } : {}),
    ...(raw.logging ? { logging: at(raw.logging) } : {}),
    ...(profile ? { profile } : {}),
    incidentsDir: at(raw.incidents),
    outputDir: at(raw.output),
    suitesDir: at(raw.suites),
    properties: raw.properties,
    ...(raw.agent ? { agent: raw.agent } : {}),
    ...(raw.otelcol ? { otelcol: raw.otelcol.map(at) } : {}),
    ...(raw.storage ? { storage: at(raw.storage) } : {}),
    scrub: {
      patterns: raw.scrub.patterns.map((p, i) => ({ name: p.name, pattern: compile(p.pattern, file, i) })),
      keys: raw.scrub.keys,
    },
  };
}

/**
 * Reads a project config. With `file` given it must exist; without, `trailcheck.config.yaml` in `cwd`
 * is read if present, else every setting has its default. Errors name the file, line and field.
 */
export async function loadProject(file?: string, cwd: string = process.cwd()): Promise<Project> {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!(await exists(path))) {
      throw new InputError("file-not-found", "the project config does not exist", { file });
    }
    return projectFrom(await loadYaml(path, ProjectFileSchema, "bad-project-config"), path, dirname(path));
  }
  const path = resolve(cwd, PROJECT_FILE);
  if (await exists(path)) {
    return projectFrom(await loadYaml(path, ProjectFileSchema, "bad-project-config"), path, cwd);
  }
  return projectFrom(ProjectFileSchema.parse({}), undefined, cwd);
}

/** Where the project's logging config comes from: a native file, or collector configs with storage. */
export function projectLogging(project: Project): LoggingSource {
  if (project.otelcol)
    return { otelcol: project.otelcol, ...(project.storage ? { storage: project.storage } : {}) };
  return project.logging ? { logging: project.logging } : {};
}

/** Every file the project's verdicts depend on, for the report's config hashes. */
export function projectFiles(project: Project): string[] {
  const profileFile = project.profile && isAbsolute(project.profile) ? project.profile : undefined;
  return [project.file, project.logging, ...(project.otelcol ?? []), project.storage, profileFile].filter(
    (f): f is string => f !== undefined,
  );
}

/**
 * The project the current suite runs under: `trailcheck run` names it in `TRAILCHECK_CONFIG`; a
 * plain `vitest` run reads `trailcheck.config.yaml` in `TRAILCHECK_ROOT` or the working directory.
 */
export function loadProjectFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Project> {
  return env.TRAILCHECK_CONFIG
    ? loadProject(env.TRAILCHECK_CONFIG)
    : loadProject(undefined, env.TRAILCHECK_ROOT ?? process.cwd());
}
