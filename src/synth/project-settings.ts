import { loadProject, PROJECT_FILE } from "../config/project.js";
import { DEFAULT_NUM_RUNS } from "./properties.js";
import { dateSeed } from "./replay-command.js";

export interface PropertySettings {
  /** The logging config (absolute), when the project names one. */
  readonly logging?: string;
  /** A built-in profile name or a profile file (absolute), when the project names one. */
  readonly profile?: string;
  readonly numRuns: number;
  readonly seed: number;
  /** Where each value came from, for the line that prints the seed. */
  readonly from: { numRuns: string; seed: string };
}

function envInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not '${raw}'`);
  return n;
}

/**
 * `numRuns` and `seed` for property runs: `TRAILCHECK_NUM_RUNS` / `TRAILCHECK_SEED`, else
 * `properties:` in `trailcheck.config.yaml`, else 200 runs and a seed that changes daily.
 */
export async function loadPropertySettings(
  root: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
  today: Date = new Date(),
): Promise<PropertySettings> {
  const project = await loadProject(undefined, root);
  const envRuns = envInteger(env, "TRAILCHECK_NUM_RUNS");
  const envSeed = envInteger(env, "TRAILCHECK_SEED");
  const cfg: { numRuns?: number; seed?: number } = project.file ? project.properties : {};
  return {
    ...(project.logging ? { logging: project.logging } : {}),
    ...(project.profile ? { profile: project.profile } : {}),
    numRuns: envRuns ?? cfg.numRuns ?? DEFAULT_NUM_RUNS,
    seed: envSeed ?? cfg.seed ?? dateSeed(today),
    from: {
      numRuns:
        envRuns !== undefined ? "TRAILCHECK_NUM_RUNS" : cfg.numRuns !== undefined ? PROJECT_FILE : "default",
      seed:
        envSeed !== undefined ? "TRAILCHECK_SEED" : cfg.seed !== undefined ? PROJECT_FILE : "today's date",
    },
  };
}
