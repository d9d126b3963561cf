import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import { judgeReplay, type ReplayJudgement } from "./judge.js";
import { type ReplayOptions, type ReplayResult, runReplay } from "./runner.js";

/** What a replay is judged against. */
export interface JudgeSettings {
  readonly config: LoggingConfig;
  readonly profile: Profile;
  readonly auditAfterNs: bigint;
  /** Facts the replay must keep, e.g. an incident's `expect.facts`. */
  readonly facts?: readonly string[];
  /** The agent must keep a guard ledger at TRAILCHECK_LEDGER_DIR (one it keeps is checked anyway). */
  readonly requireLedger?: boolean;
}

/** A replay and its judgement; `verdicts` is empty when the agent failed (see `replay.failure`). */
export interface JudgedReplay extends ReplayJudgement {
  readonly replay: ReplayResult;
}

/**
 * Runs a replay and judges it. The agent's own failure is never judged for gaps: its telemetry is
 * incomplete by its own doing, so callers must look at `replay.failure` before the verdicts.
 */
export async function replayAndJudge(options: ReplayOptions, settings: JudgeSettings): Promise<JudgedReplay> {
  const replay = await runReplay(options);
  if (replay.failure) return { replay, verdicts: [], comparisons: [], unknown: [], facts: [] };
  const judged = judgeReplay(
    replay.exchange,
    replay.records,
    settings.config,
    settings.profile,
    settings.auditAfterNs,
    {
      ...(settings.facts ? { facts: settings.facts } : {}),
      ledger: {
        ...(replay.ledger ? { reading: replay.ledger } : {}),
        required: settings.requireLedger ?? false,
      },
    },
  );
  return { replay, ...judged };
}
