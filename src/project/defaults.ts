/**
 * What a project gets when neither a flag, nor the environment, nor its config file says otherwise.
 * Every default a verb or a suite relies on is written here once (see `project.ts` for the order).
 */
export const DEFAULTS = {
  /** The project config's file name, looked for in `TRAILCHECK_ROOT` or the working directory. */
  configFile: "trailcheck.config.yaml",
  /** The compliance profile when nothing names one. */
  profile: "reconstructable",
  /** Folders, relative to the project config. */
  incidents: "incidents",
  output: "reports",
  suites: "suites",
  scenarios: "scenarios",
  /** fast-check runs per property (`fuzz`, the properties suite). */
  numRuns: 200,
  /** Synthetic scenarios `fuzz --agent` and the agent suite replay: each takes seconds. */
  agentRuns: 4,
  /** How long one agent run may take, in milliseconds. */
  agentTimeoutMs: 60_000,
} as const;

/** The bounds every source of a number is checked against, whether a flag, a variable or the file. */
export const LIMITS = {
  numRuns: { min: 1, max: 10_000_000 },
  agentRuns: { min: 1, max: 100_000 },
  /** fast-check takes a 32-bit seed. */
  seed: { min: -(2 ** 31), max: 2 ** 31 - 1 },
  /** Node's timers hold at most 2^31 − 1 ms (about 24.8 days); a longer delay fires at once. */
  timeoutMs: { min: 1, max: 2 ** 31 - 1 },
} as const;

/** A seed that changes once a day (YYYYMMDD), so a day's CI runs agree and the next day explores further. */
export function dateSeed(date: Date): number {
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}
