// Every incident with a scenario is also replayed against the project's agent: the
// agent runs against the incident's scripted model turns, its real telemetry goes through the
// current logging config, and the facts the incident names must come out of the replay. A scenario
// scripts the tool calls of the agent it was recorded from, so an incident replays only against the
// agent it names in `replay.agent`; the others are skipped with the reason.
import pLimit from "p-limit";
import { describe, it } from "vitest";
import {
  type JudgedReplay,
  replayAndJudge,
  replaySkipReason,
  scenarioFromIncident,
} from "../public/replay.js";
import {
  agentOutcome,
  auditTime,
  discoverIncidents,
  installMatchers,
  type LoadedIncident,
  loadIncident,
  loadProjectLogging,
  projectProfile,
  recordResult,
  resolveProject,
} from "../public/testing.js";

installMatchers();

const project = await resolveProject();
const command = project.agentCommand;
const agentTimeoutMs = project.agentTimeoutMs;
// A replay is mostly the agent's own start-up and model round trips: two at a time fill 2 cores.
const limit = pLimit(2);

interface Entry {
  readonly testName: string;
  readonly loaded?: LoadedIncident;
  readonly error?: string;
}
const entries: Entry[] = await Promise.all(
  (await discoverIncidents(project.incidentsDir)).map((e) =>
    loadIncident(e.file).then(
      (loaded): Entry => ({ testName: e.testName, loaded }),
      (err: unknown): Entry => ({ testName: e.testName, error: (err as Error).message }),
    ),
  ),
);
const replayable = entries.filter((e) => e.error !== undefined || e.loaded?.incident.scenario !== undefined);
// Queued replays wait for a slot; each may take the agent's whole timeout.
const timeout = agentTimeoutMs * (Math.ceil((replayable.length + 1) / 2) + 1) + 30_000;

/** Replays an incident against `agentCommand` and judges it at the incident's audit time. */
async function replayIncident(loaded: LoadedIncident, agentCommand: string): Promise<JudgedReplay> {
  const logging = await loadProjectLogging(project);
  const { profile } = await projectProfile(project, logging, loaded);
  const { incident } = loaded;
  return limit(async () =>
    replayAndJudge(
      {
        scenario: scenarioFromIncident(incident, loaded.file),
        command: agentCommand,
        cwd: project.root,
        timeoutMs: agentTimeoutMs,
      },
      {
        config: logging.config,
        profile,
        auditAfterNs: auditTime(project, profile, loaded).ns,
        facts: incident.expect.facts,
      },
    ),
  );
}

/** The agent's own failure, with what it said, as a test failure message. */
function agentFailure(judged: JudgedReplay): string {
  const { failure, stderr } = judged.replay;
  if (!failure) return "";
  const said = stderr.trim().split("\n").slice(-15).join("\n");
  return `the agent failed (${failure.kind}): ${failure.message}${said ? `\nagent stderr:\n${said}` : ""}`;
}

describe.concurrent("incident replays", () => {
  if (replayable.length === 0) {
    it("incident replays", ({ skip }) => skip(`no incident with a scenario in ${project.incidentsDir}`));
  }
  for (const entry of replayable) {
    it(
      `replay ${entry.testName}`,
      async ({ expect, skip, task }) => {
        const { loaded } = entry;
        if (!loaded)
          return skip(`the incident does not load (the incidents suite reports it): ${entry.error}`);
        const reason = replaySkipReason(loaded.incident, command);
        if (reason || !command) return skip(reason);
        const judged = await replayIncident(loaded, command);
        const failure = judged.replay.failure;
        recordResult(task, {
          kind: "replay",
          id: loaded.incident.id,
          title: loaded.incident.title,
          verdicts: judged.verdicts,
          comparisons: judged.comparisons,
          records: judged.replay.records,
          agent: agentOutcome(judged.replay),
        });
        expect(failure, agentFailure(judged)).toBeUndefined();
        expect.soft(judged).toKeepFacts(loaded.incident.expect.facts);
        expect(judged).toBeReconstructable();
      },
      timeout,
    );
  }

  // The instrumentation gap the reference agent reproduces: the AI SDK's recordOutputs off drops tool
  // arguments, so an incident about them must fail its replay with cause `instrumentation`. Only a
  // project whose agent is the reference agent has this test: another agent has no such switch.
  const FACT = "tool:refund_payment.arguments";
  const reference = entries.find(
    (e) =>
      e.loaded?.incident.expect.facts.includes(FACT) &&
      replaySkipReason(e.loaded.incident, command) === undefined,
  )?.loaded;
  const isReferenceAgent = command?.includes("examples/support-agent/agent.ts") ?? false;
  if (!isReferenceAgent) return;
  it(
    `replay with recordOutputs off loses ${FACT} to instrumentation`,
    async ({ expect, skip }) => {
      if (!reference) return skip(`needs an incident of the reference agent about ${FACT}`);
      const judged = await replayIncident(reference, `SUPPORT_AGENT_RECORD_OUTPUTS=0 ${command}`);
      expect(judged.replay.failure, agentFailure(judged)).toBeUndefined();
      expect(judged).not.toBeReconstructable();
      expect(judged).not.toKeepFacts([FACT]);
      const outcome = judged.facts.find((f) => f.ref === FACT);
      expect(outcome?.kept).toBe(false);
      expect(outcome?.gaps.map((g) => [g.cause, g.stage, g.action.name, g.fact])).toContainEqual([
        "instrumentation",
        "instrumentation",
        "refund_payment",
        "arguments",
      ]);
    },
    timeout,
  );
});
