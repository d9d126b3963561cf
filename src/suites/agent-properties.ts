// Property-based synthetic scenarios replayed against the agent itself: each scenario
// scripts the mock model (the tool calls of the project's scenarios, recombined, and API errors the
// client must retry), the agent runs against it, and what it emitted must come out of the logging config
// whole. `properties.agentRuns` scenarios per run (0 turns the suite off), with the project's seed,
// printed; each failure names the command that replays exactly that scenario, and
// `trailcheck run --save-counterexamples` saves it as an incident that replays against the agent.
import pLimit from "p-limit";
import { describe, it } from "vitest";
import {
  type AgentRun,
  checkAgentProperties,
  projectScenarioArb,
  saveAgentCounterexample,
} from "../public/replay.js";
import {
  agentOutcome,
  auditTime,
  formatGap,
  loadProjectLogging,
  projectProfile,
  recordResult,
  replayFlags,
  resolveProject,
} from "../public/testing.js";

const project = await resolveProject();
const command = project.agentCommand;
const runs = project.agentRuns;
// A replay is mostly the agent's own start-up and model round trips: two at a time fill 2 cores.
const limit = pLimit(2);
const timeout = project.agentTimeoutMs * (Math.ceil(runs / 2) + 1) + 30_000;

async function judging() {
  const logging = await loadProjectLogging(project);
  const { profile } = await projectProfile(project, logging);
  const audit = auditTime(project, profile);
  console.log(
    `trailcheck agent scenarios: ${runs} (properties.agentRuns), seed ${project.seed} (${project.from.seed}), logging ${logging.label}, profile ${profile.name}, audit ${audit.text} — against ${command}`,
  );
  return { logging, profile, audit, scenarios: await projectScenarioArb(project.scenariosDir) };
}
let judged: ReturnType<typeof judging> | undefined;

/** Replays scenario `index` of the project's seed against the agent. */
async function replay(index: number): Promise<{ run: AgentRun; saved: string }> {
  judged ??= judging();
  const { logging, profile, audit, scenarios } = await judged;
  const result = await limit(() =>
    checkAgentProperties({
      command: command!,
      cwd: project.root,
      timeoutMs: project.agentTimeoutMs,
      runs,
      seed: project.seed,
      only: index,
      judge: { config: logging.config, profile, auditAfterNs: audit.ns },
      scenarios,
      source: [...replayFlags(project), "--agent"],
    }),
  );
  const run = result.replayed[0]!;
  if (!project.saveCounterexamples || run.gaps.length === 0) return { run, saved: "" };
  const added = await saveAgentCounterexample(run, { project, command: command!, profile, audit });
  return { run, saved: added ? `\nsaved as ${added.incident.id}: ${added.yamlPath}` : "" };
}

describe.concurrent("agent scenarios", () => {
  if (!command) {
    it("synthetic scenarios against the agent", ({ skip }) =>
      skip("no agent.command in trailcheck.config.yaml: no agent to replay synthetic scenarios against"));
    return;
  }
  if (runs === 0) {
    it("synthetic scenarios against the agent", ({ skip }) =>
      skip("properties.agentRuns is 0: no synthetic scenarios against the agent"));
    return;
  }
  for (let index = 0; index < runs; index++) {
    const title = `synthetic scenario ${index} of seed ${project.seed} against the agent keeps every fact`;
    it(
      `agent:scenario-${index} ${title}`,
      async ({ expect, task }) => {
        const { run, saved } = await replay(index);
        const failure = run.failure;
        recordResult(task, {
          kind: "property",
          id: `agent-scenario-${index}`,
          title,
          tags: ["agent"],
          verdicts: run.judged.verdicts,
          comparisons: run.judged.comparisons,
          records: run.judged.replay.records,
          property: {
            seed: project.seed,
            numRuns: runs,
            replay: run.replay,
            ...(run.gaps.length > 0 ? { counterexample: JSON.stringify(run.scenario).slice(0, 2000) } : {}),
          },
          agent: agentOutcome(run.judged.replay),
        });
        const said = run.judged.replay.stderr.trim().split("\n").slice(-15).join("\n");
        expect(
          failure,
          `the agent failed (${failure?.kind}): ${failure?.message}\nagent stderr:\n${said}\nreplay: ${run.replay}`,
        ).toBeUndefined();
        expect(
          run.gaps.length,
          `${run.scenario.description}: ${run.gaps.length} gap(s)\n${run.gaps.map(formatGap).join("\n")}\nreplay: ${run.replay}${saved}`,
        ).toBe(0);
      },
      timeout,
    );
  }
});
