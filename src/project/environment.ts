import { InputError } from "../errors.js";
import { LIMITS } from "./defaults.js";
import type { Project } from "./project.js";

/**
 * The `TRAILCHECK_*` variables: the only environment trailcheck reads for its settings. `trailcheck run`
 * hands its suites the project it resolved through the first two, so a suite judges exactly the config
 * `run` was given; the others override the project file for a run of the properties suite.
 */
export const ENVIRONMENT = {
  /** The project config file; `run` sets it for its suites. */
  config: "TRAILCHECK_CONFIG",
  /** Where to look for `trailcheck.config.yaml` when no config file is named. */
  root: "TRAILCHECK_ROOT",
  /** fast-check runs per property. */
  numRuns: "TRAILCHECK_NUM_RUNS",
  /** The properties' seed. */
  seed: "TRAILCHECK_SEED",
  /** `1`: the properties suite saves each counterexample as an incident (`run --save-counterexamples`). */
  saveCounterexamples: "TRAILCHECK_SAVE_COUNTEREXAMPLES",
} as const;

export interface ProjectEnvironment {
  readonly config?: string;
  readonly root?: string;
  readonly numRuns?: number;
  readonly seed?: number;
  readonly saveCounterexamples?: boolean;
}

/** A whole number within `range`, or a bad-input error that names where the text came from. */
export function wholeNumber(text: string, name: string, range: { min: number; max: number }): number {
  const n = Number(text.trim());
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new InputError(
      "bad-option",
      `${name} must be an integer from ${range.min} to ${range.max}, not '${text}'`,
    );
  }
  return n;
}

function set(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

function numberVar(env: NodeJS.ProcessEnv, name: string, range: { min: number; max: number }) {
  const text = set(env, name);
  if (text === undefined) return undefined;
  try {
    return wholeNumber(text, name, range);
  } catch (err) {
    throw new InputError("bad-environment", (err as Error).message);
  }
}

/** Reads the variables; a malformed number is bad input (exit 2), naming the variable. */
export function readEnvironment(env: NodeJS.ProcessEnv): ProjectEnvironment {
  const config = set(env, ENVIRONMENT.config);
  const root = set(env, ENVIRONMENT.root);
  const numRuns = numberVar(env, ENVIRONMENT.numRuns, LIMITS.numRuns);
  const seed = numberVar(env, ENVIRONMENT.seed, LIMITS.seed);
  const save = set(env, ENVIRONMENT.saveCounterexamples);
  return {
    ...(config !== undefined ? { config } : {}),
    ...(root !== undefined ? { root } : {}),
    ...(numRuns !== undefined ? { numRuns } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(save !== undefined ? { saveCounterexamples: save !== "0" && save !== "false" } : {}),
  };
}

/**
 * What `trailcheck run` hands its suites: the config file it resolved (or the folder, without one) and
 * its own flags. Every other variable the suites see is the one `run` saw, so a suite resolves exactly
 * the project `run` did.
 */
export function suiteEnvironment(project: Project): Record<string, string | undefined> {
  return {
    [ENVIRONMENT.config]: project.file,
    [ENVIRONMENT.root]: project.root,
    [ENVIRONMENT.saveCounterexamples]: project.saveCounterexamples ? "1" : undefined,
  };
}
