import { access } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { loadYaml } from "../yaml/load.js";
import { DEFAULT_NUM_RUNS } from "./properties.js";
import { dateSeed } from "./replay-command.js";

const PROJECT_FILE = "trailcheck.config.yaml";

/** The keys of `trailcheck.config.yaml` the property runs read; other verbs own the rest. */
const SettingsSchema = z.looseObject({
  logging: z.string().optional(),
  profile: z.string().optional(),
  properties: z
    .strictObject({
      numRuns: z.number().int().positive().optional(),
      seed: z.number().int().optional(),
    })
    .optional(),
});

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
  const file = join(root, PROJECT_FILE);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  const raw = exists ? await loadYaml(file, SettingsSchema, "bad-project-config") : {};
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const envRuns = envInteger(env, "TRAILCHECK_NUM_RUNS");
  const envSeed = envInteger(env, "TRAILCHECK_SEED");
  const cfg = raw.properties ?? {};
  return {
    ...(raw.logging ? { logging: at(raw.logging) } : {}),
    ...(raw.profile ? { profile: /\.(ya?ml|json)$/i.test(raw.profile) ? at(raw.profile) : raw.profile } : {}),
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
