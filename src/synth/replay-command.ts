import { shellQuote } from "../text/shell-quote.js";
import type { SynthConvention } from "./options.js";

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
