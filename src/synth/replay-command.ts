import type { SynthConvention } from "./options.js";

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface ReplayCommandInput {
  /** The flags that name the logging config, profile and audit time, as the user gave them. */
  readonly source: readonly string[];
  readonly seed: number;
  readonly path: string;
  readonly numRuns: number;
  readonly convention?: SynthConvention;
}

/** The one command that replays exactly one counterexample: same config, seed, run count and shrink path. */
export function replayCommand(input: ReplayCommandInput): string {
  const args = [
    ...input.source,
    "--seed",
    String(input.seed),
    "--path",
    input.path,
    "--runs",
    String(input.numRuns),
    ...(input.convention ? ["--convention", input.convention] : []),
  ];
  return `npx trailcheck fuzz ${args.map(shellQuote).join(" ")}`;
}
