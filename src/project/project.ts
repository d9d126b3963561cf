import { stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { LoggingSource } from "../config/source.js";
import { InputError, type Location } from "../errors.js";
import { parseDuration } from "../model/duration.js";
import { GoRegex, isGoRegexError } from "../pipeline/go/regex.js";
import { loadYaml } from "../yaml/load.js";
import type { AuditConfig } from "./audit-config.js";
import { DEFAULTS, dateSeed, LIMITS } from "./defaults.js";
import { ENVIRONMENT, readEnvironment } from "./environment.js";
import { type ProjectFile, ProjectFileSchema } from "./file.js";

/**
 * A project's settings, resolved once. Each setting comes from the first of these that gives it:
 *
 *   1. a command-line flag (`--logging`, `--profile`, `--runs`, `--timeout`, `--dir`, …);
 *   2. a `TRAILCHECK_*` environment variable (`environment.ts`);
 *   3. the project config file: `--config FILE`, else `$TRAILCHECK_CONFIG`, else `trailcheck.config.yaml`
 *      in `$TRAILCHECK_ROOT` or the working directory, if there is one;
 *   4. the defaults (`defaults.ts`).
 *
 * Two settings depend on files loaded later and are decided in `judging.ts`, in the same spirit: the
 * compliance profile and the audit time. Every verb, `trailcheck run` and every suite take this value;
 * none reads a flag, a variable or the file on its own.
 */
export interface Project {
  /** The folder the config file's relative paths are resolved against (the working directory without one). */
  readonly root: string;
  /** The project config file (absolute), or undefined when the project runs on defaults. */
  readonly file?: string;
  /** Where the logging config comes from; empty when nothing names one. */
  readonly logging: LoggingSource;
  /** A built-in profile name or a profile file, when a flag or the file names one. */
  readonly profile?: string;
  /** `--audit-after`, when given; else the audit time is decided per profile and incident. */
  readonly auditAfter?: string;
  readonly incidentsDir: string;
  readonly outputDir: string;
  readonly suitesDir: string;
  /** Replay scenarios: their tool calls shape the synthetic scenarios replayed against the agent. */
  readonly scenariosDir: string;
  /** fast-check runs per property. */
  readonly numRuns: number;
  /** Synthetic scenarios the agent suite replays against the agent (`properties.agentRuns`); 0 for none. */
  readonly agentRuns: number;
  readonly seed: number;
  /** Properties save their counterexamples as incidents. */
  readonly saveCounterexamples: boolean;
  /** The command that runs the agent under test. */
  readonly agentCommand?: string;
  /** How long one agent run may take, in milliseconds. */
  readonly agentTimeoutMs: number;
  readonly scrub: { patterns: { name: string; pattern: GoRegex }[]; keys: string[] };
  /** `audit:` as the file writes it (paths relative to `root`); `trailcheck audit` resolves it with its flags. */
  readonly audit?: AuditConfig;
  /** Where each setting came from (a flag, a variable, the file's name, `default`), for what verbs print. */
  readonly from: Readonly<Record<"config" | "logging" | "profile" | "numRuns" | "seed" | "agent", string>>;
}

/** The flags that carry settings, already split by the CLI (numbers parsed, durations as typed). */
export interface ProjectFlags {
  readonly config?: string;
  readonly logging?: string;
  readonly otelcol?: readonly string[];
  readonly storage?: string;
  readonly profile?: string;
  readonly auditAfter?: string;
  readonly numRuns?: number;
  readonly seed?: number;
  readonly agent?: string;
  readonly timeout?: string;
  /** The incidents folder (`--dir`). */
  readonly incidents?: string;
  readonly output?: string;
  readonly saveCounterexamples?: boolean;
}

export interface ResolveInput {
  readonly flags?: ProjectFlags;
  readonly env?: NodeJS.ProcessEnv;
  /** Flags' relative paths are resolved against it; default the process's working directory. */
  readonly cwd?: string;
  /** For the default seed. */
  readonly today?: Date;
}

const isProfileFile = (spec: string) => /\.(ya?ml|json)$/i.test(spec);

const MAX_TIMEOUT = `${Math.floor(LIMITS.timeoutMs.max / 86_400_000)}d`;

/**
 * `--timeout` and `agent.timeout` in milliseconds: a positive duration a timer can hold. Node fires a
 * longer timer at once, so `25d` would kill the agent as it starts; it is refused instead.
 */
export function parseTimeout(text: string, name: string, where: Location = {}): number {
  const ns = parseDuration(text);
  const ms = ns === undefined ? Number.NaN : Number(ns / 1_000_000n);
  if (!(ms >= LIMITS.timeoutMs.min)) {
    throw new InputError(
      where.file ? "bad-project-config" : "bad-option",
      `${name} must be a duration such as 30s, 2m or 500ms, not '${text}'`,
      where,
    );
  }
  if (ms > LIMITS.timeoutMs.max) {
    throw new InputError(
      where.file ? "bad-project-config" : "bad-option",
      `${name} must be at most ${MAX_TIMEOUT} (the longest a timer can wait), not '${text}'`,
      where,
    );
  }
  return ms;
}

function compile(pattern: string, file: string | undefined, i: number): GoRegex {
  const re = GoRegex.compile(pattern);
  if (!isGoRegexError(re)) return re;
  throw new InputError("bad-project-config", re.error, { file, field: `scrub.patterns[${i}].pattern` });
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/** The config file and how it was chosen: a flag or variable must name an existing file. */
async function findFile(
  flag: string | undefined,
  env: { config?: string; root?: string },
  cwd: string,
): Promise<{ file?: string; from: string; root: string }> {
  const named = flag ?? env.config;
  if (named !== undefined) {
    const from = flag !== undefined ? "--config" : ENVIRONMENT.config;
    const file = resolve(cwd, named);
    const info = await stat(file).catch(() => undefined);
    if (!info)
      throw new InputError("file-not-found", `the project config (${from}) does not exist`, { file: named });
    if (!info.isFile())
      throw new InputError("not-a-file", `the project config (${from}) is not a file`, { file: named });
    return { file, from, root: dirname(file) };
  }
  const root = resolve(cwd, env.root ?? ".");
  const file = resolve(root, DEFAULTS.configFile);
  return (await isFile(file)) ? { file, from: DEFAULTS.configFile, root } : { from: "none", root };
}

/** Reads the project's settings by the order above. Errors name the file, line and field, or the flag. */
export async function resolveProject(input: ResolveInput = {}): Promise<Project> {
  const cwd = resolve(input.cwd ?? process.cwd());
  const env = readEnvironment(input.env ?? process.env);
  const flags = input.flags ?? {};
  const found = await findFile(flags.config, env, cwd);
  const raw: ProjectFile = found.file
    ? await loadYaml(found.file, ProjectFileSchema, "bad-project-config")
    : ProjectFileSchema.parse({});
  return projectFrom({
    raw,
    file: found.file,
    fileFrom: found.from,
    root: found.root,
    flags,
    env,
    cwd,
    today: input.today ?? new Date(),
  });
}

interface Sources {
  readonly raw: ProjectFile;
  readonly file: string | undefined;
  readonly fileFrom: string;
  readonly root: string;
  readonly flags: ProjectFlags;
  readonly env: ReturnType<typeof readEnvironment>;
  readonly cwd: string;
  readonly today: Date;
}

/** The pure part of `resolveProject`: the file's contents, the flags and the variables, in order. */
export function projectFrom(s: Sources): Project {
  const { raw, flags, env, file } = s;
  const fileName = s.fileFrom === "none" ? "default" : file ? shownPath(file, s.cwd) : "default";
  // A file's paths are relative to the file; a flag's to where the command was typed (kept as typed).
  const inFile = (p: string) => (isAbsolute(p) ? p : resolve(s.root, p));
  const typed = (p: string) => (isAbsolute(p) || s.cwd === process.cwd() ? p : resolve(s.cwd, p));

  const loggingFlags =
    flags.logging !== undefined || (flags.otelcol?.length ?? 0) > 0 || flags.storage !== undefined;
  const logging: LoggingSource = loggingFlags
    ? {
        ...(flags.logging !== undefined ? { logging: typed(flags.logging) } : {}),
        ...(flags.otelcol?.length ? { otelcol: flags.otelcol.map(typed) } : {}),
        ...(flags.storage !== undefined ? { storage: typed(flags.storage) } : {}),
      }
    : {
        ...(raw.logging ? { logging: inFile(raw.logging) } : {}),
        ...(raw.otelcol ? { otelcol: raw.otelcol.map(inFile) } : {}),
        ...(raw.storage ? { storage: inFile(raw.storage) } : {}),
      };
  const fileLogging = raw.logging !== undefined || raw.otelcol !== undefined;

  const profile =
    flags.profile !== undefined
      ? isProfileFile(flags.profile)
        ? typed(flags.profile)
        : flags.profile
      : raw.profile !== undefined
        ? isProfileFile(raw.profile)
          ? inFile(raw.profile)
          : raw.profile
        : undefined;

  const numRuns = flags.numRuns ?? env.numRuns ?? raw.properties?.numRuns ?? DEFAULTS.numRuns;
  const seed = flags.seed ?? env.seed ?? raw.properties?.seed ?? dateSeed(s.today);
  const agentCommand = flags.agent ?? raw.agent?.command;
  const timeoutText = flags.timeout ?? raw.agent?.timeout;
  const timeoutAt: [string, Location] =
    flags.timeout !== undefined ? ["--timeout", {}] : ["agent.timeout", { file, field: "agent.timeout" }];

  const pick = <T>(
    flag: T | undefined,
    flagName: string,
    envValue: T | undefined,
    envName: string,
    fileValue: T | undefined,
    fallback: string,
  ) =>
    flag !== undefined
      ? flagName
      : envValue !== undefined
        ? envName
        : fileValue !== undefined
          ? fileName
          : fallback;

  return {
    root: s.root,
    ...(file ? { file } : {}),
    logging,
    ...(profile !== undefined ? { profile } : {}),
    ...(flags.auditAfter !== undefined ? { auditAfter: flags.auditAfter } : {}),
    incidentsDir:
      flags.incidents !== undefined
        ? resolve(s.cwd, flags.incidents)
        : inFile(raw.incidents ?? DEFAULTS.incidents),
    outputDir:
      flags.output !== undefined ? resolve(s.cwd, flags.output) : inFile(raw.output ?? DEFAULTS.output),
    suitesDir: inFile(raw.suites ?? DEFAULTS.suites),
    scenariosDir: inFile(raw.scenarios ?? DEFAULTS.scenarios),
    numRuns,
    agentRuns: raw.properties?.agentRuns ?? DEFAULTS.agentRuns,
    seed,
    saveCounterexamples: flags.saveCounterexamples ?? env.saveCounterexamples ?? false,
    ...(agentCommand !== undefined ? { agentCommand } : {}),
    agentTimeoutMs:
      timeoutText === undefined ? DEFAULTS.agentTimeoutMs : parseTimeout(timeoutText, ...timeoutAt),
    scrub: {
      patterns: (raw.scrub?.patterns ?? []).map((p, i) => ({
        name: p.name,
        pattern: compile(p.pattern, file, i),
      })),
      keys: raw.scrub?.keys ?? [],
    },
    ...(raw.audit ? { audit: raw.audit } : {}),
    from: {
      config: s.fileFrom,
      logging: loggingFlags
        ? flags.otelcol?.length
          ? "--otelcol"
          : "--logging"
        : fileLogging
          ? fileName
          : "none",
      profile: pick(flags.profile, "--profile", undefined, "", raw.profile, "none"),
      numRuns: pick(
        flags.numRuns,
        "--runs",
        env.numRuns,
        ENVIRONMENT.numRuns,
        raw.properties?.numRuns,
        "default",
      ),
      seed: pick(flags.seed, "--seed", env.seed, ENVIRONMENT.seed, raw.properties?.seed, "today's date"),
      agent: pick(flags.agent, "--agent", undefined, "", raw.agent?.command, "none"),
    },
  };
}

/** A file as the user would write it from `cwd`: relative inside it, absolute outside. */
export function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

export type ConfigRole = "project" | "logging" | "otelcol" | "storage" | "profile";

/** Every file the project's verdicts depend on, with its part, for the report's config hashes. */
export function projectFiles(project: Project): { file: string; role: ConfigRole }[] {
  const out: { file: string; role: ConfigRole }[] = [];
  if (project.file) out.push({ file: project.file, role: "project" });
  if (project.logging.logging) out.push({ file: project.logging.logging, role: "logging" });
  for (const f of project.logging.otelcol ?? []) out.push({ file: f, role: "otelcol" });
  if (project.logging.storage) out.push({ file: project.logging.storage, role: "storage" });
  if (project.profile && isProfileFile(project.profile)) out.push({ file: project.profile, role: "profile" });
  return out;
}

/**
 * The flags that make a verb typed in `cwd` read this project's config file: none when it is the one
 * the verb would find anyway. Replay commands start with them, so they judge under the same settings.
 */
export function replayFlags(project: Project, cwd: string = process.cwd()): string[] {
  if (!project.file || project.file === resolve(cwd, DEFAULTS.configFile)) return [];
  return ["--config", shownPath(project.file, cwd)];
}

/** The agent command a verb that replays against the agent needs: `--agent` or `agent.command`. */
export function requireAgentCommand(project: Project): string {
  if (project.agentCommand) return project.agentCommand;
  throw new InputError(
    "no-agent",
    'no agent to replay against: pass --agent "COMMAND" or set agent.command in trailcheck.config.yaml',
  );
}
