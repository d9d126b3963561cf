import fc from "fast-check";
import pLimit from "p-limit";
import type { Gap } from "../model/gap.js";
import type { Scenario } from "../model/scenario.js";
import { type JudgedReplay, type JudgeSettings, replayAndJudge } from "../replay/judged-replay.js";
import type { ReplayFailure } from "../replay/runner.js";
import { scenarioArb } from "../synth/agent-scenario.js";
import { shellQuote } from "../text/shell-quote.js";

export interface AgentPropertyOptions {
  /** `agent.command`: a shell command line. */
  readonly command: string;
  /** Where the command runs (the project root). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long one agent run may take; default 60 s. */
  readonly timeoutMs?: number;
  readonly runs: number;
  readonly seed: number;
  /** Replays at once; default 1. */
  readonly concurrency?: number;
  /** Replay only scenario `only` (0-based) of the `runs` the seed gives. */
  readonly only?: number;
  /** Stop starting replays once one has gaps; default true. */
  readonly endOnFailure?: boolean;
  /** What each replay is judged against: the project's logging config and profile. */
  readonly judge: JudgeSettings;
  /** Default: `scenarioArb()` for the reference agent's tools. */
  readonly scenarios?: fc.Arbitrary<Scenario>;
  /** Flags that name the agent, config and profile as the user typed them, for the replay command. */
  readonly source?: readonly string[];
}

/** One scenario replayed against the agent. */
export interface AgentRun {
  readonly index: number;
  readonly scenario: Scenario;
  readonly judged: JudgedReplay;
  /** Instrumentation and pipeline gaps; empty when the agent failed. */
  readonly gaps: readonly Gap[];
  /** The agent's own failure (crash, timeout, overrun, …): never a gap. */
  readonly failure?: ReplayFailure;
  /** The command that replays exactly this scenario. */
  readonly replay: string;
}

export interface AgentPropertiesResult {
  readonly seed: number;
  readonly runs: number;
  readonly concurrency: number;
  /** The replays that ran, by index (fewer than `runs` when it stopped at a failure or ran `only`). */
  readonly replayed: readonly AgentRun[];
  /** The first scenario (lowest index) whose replay has gaps. */
  readonly counterexample?: AgentRun;
  /** Replays the agent itself failed. */
  readonly agentFailures: readonly AgentRun[];
}

/** The `runs` scenarios of a seed, named by seed and index; scenario i is the same whatever `runs` is. */
export function sampleScenarios(arb: fc.Arbitrary<Scenario>, seed: number, runs: number): Scenario[] {
  return fc.sample(arb, { seed, numRuns: runs }).map((s, i) => ({ ...s, name: `fuzz-seed-${seed}-${i}` }));
}

/** The one command that replays scenario `index` of a seed against the agent. */
export function agentReplayCommand(
  source: readonly string[],
  seed: number,
  runs: number,
  index: number,
): string {
  const args = [...source, "--seed", String(seed), "--runs", String(runs), "--only", String(index)];
  return `npx trailcheck fuzz ${args.map(shellQuote).join(" ")}`;
}

/**
 * Replays `runs` synthetic scenarios of `seed` against the agent, `concurrency` at once, and judges each
 * with the logging config and profile. A property fails when a replay has gaps (instrumentation or
 * pipeline); the agent's own failures are reported apart. No shrinking: each replay costs seconds, so
 * scenarios are sampled deterministically and the failing one is named by seed and index.
 */
export async function checkAgentProperties(options: AgentPropertyOptions): Promise<AgentPropertiesResult> {
  const { runs, seed } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  if (options.only !== undefined && (options.only < 0 || options.only >= runs)) {
    throw new RangeError(`scenario ${options.only} is not among the ${runs} of seed ${seed}`);
  }
  const scenarios = sampleScenarios(options.scenarios ?? scenarioArb(), seed, runs);
  const indices = options.only !== undefined ? [options.only] : scenarios.map((_, i) => i);
  const source = options.source ?? ["--agent"];
  const limit = pLimit(concurrency);
  let stopped = false;
  const runsDone = await Promise.all(
    indices.map((index) =>
      limit(async (): Promise<AgentRun | undefined> => {
        // p-limit starts jobs in order, so every index below a failing one has run.
        if (stopped) return undefined;
        const scenario = scenarios[index]!;
        const judged = await replayAndJudge(
          {
            scenario,
            command: options.command,
            ...(options.cwd ? { cwd: options.cwd } : {}),
            ...(options.env ? { env: options.env } : {}),
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          },
          options.judge,
        );
        const gaps = judged.verdicts.flatMap((v) => v.gaps);
        if (gaps.length > 0 && options.endOnFailure !== false) stopped = true;
        return {
          index,
          scenario,
          judged,
          gaps,
          ...(judged.replay.failure ? { failure: judged.replay.failure } : {}),
          replay: agentReplayCommand(source, seed, runs, index),
        };
      }),
    ),
  );
  const replayed = runsDone.filter((r): r is AgentRun => r !== undefined);
  const counterexample = replayed.find((r) => r.gaps.length > 0);
  return {
    seed,
    runs,
    concurrency,
    replayed,
    ...(counterexample ? { counterexample } : {}),
    agentFailures: replayed.filter((r) => r.failure),
  };
}
