import type { Scenario } from "../model/scenario.js";
import { gapLine } from "../report/terminal.js";
import { escapeTerminal } from "../text/escape.js";
import type { AgentPropertiesResult, AgentRun } from "./against-agent.js";

/** A scenario's scripted turns, one line each. */
export function formatScenario(scenario: Scenario): string[] {
  const lines = [
    `scenario ${scenario.name}: ${scenario.description ?? ""}`,
    `  input: ${JSON.stringify(scenario.input)}`,
  ];
  scenario.turns.forEach((turn, i) => {
    const n = `  ${i + 1}.`;
    if ("error" in turn) lines.push(`${n} model API error ${turn.error.status}: ${turn.error.message}`);
    else if ("toolCalls" in turn)
      for (const c of turn.toolCalls)
        lines.push(`${n} tool call ${c.name} ${JSON.stringify(c.arguments)} (${c.id ?? "no id"})`);
    else lines.push(`${n} text: ${JSON.stringify(turn.text)}`);
  });
  return lines.map(escapeTerminal);
}

function failureLines(run: AgentRun): string[] {
  const f = run.failure;
  if (!f) return [];
  const stderr = run.judged.replay.stderr.trim();
  return [
    `agent failed on scenario ${run.index} (${f.kind}): ${f.message}`,
    ...(stderr
      ? [
          "  agent stderr (last lines):",
          ...stderr
            .split("\n")
            .slice(-10)
            .map((l) => `    ${l}`),
        ]
      : []),
    `  replay: ${run.replay}`,
  ].map(escapeTerminal);
}

/** The terminal report of `trailcheck fuzz --agent`: the first failing scenario, its gaps, seed and replay command. */
export function formatAgentProperties(result: AgentPropertiesResult, header: readonly string[]): string {
  const lines = [...header, ""];
  const c = result.counterexample;
  if (c) {
    lines.push(
      `gaps found: scenario ${c.index} of seed ${result.seed} (${c.gaps.length} gap(s))`,
      ...formatScenario(c.scenario),
      "",
      ...c.gaps.map(gapLine),
      "",
      `seed ${result.seed} · scenario ${c.index} of ${result.runs}`,
      escapeTerminal(`replay: ${c.replay}`),
    );
  }
  for (const run of result.agentFailures) lines.push("", ...failureLines(run));
  const clean = result.replayed.filter((r) => !r.failure && r.gaps.length === 0).length;
  lines.push(
    "",
    `${result.replayed.length} of ${result.runs} scenario(s) replayed: ${clean} without gaps, ` +
      `${result.replayed.filter((r) => r.gaps.length > 0).length} with gaps, ${result.agentFailures.length} agent failure(s)`,
  );
  return `${lines.join("\n")}\n`;
}

const runJson = (r: AgentRun) => ({
  index: r.index,
  scenario: r.scenario,
  gaps: r.gaps,
  replay: r.replay,
  ...(r.failure ? { failure: r.failure } : {}),
});

/** The JSON report of `trailcheck fuzz --agent`. */
export function agentPropertiesJson(result: AgentPropertiesResult) {
  return {
    version: 1,
    mode: "agent",
    runs: result.runs,
    seed: result.seed,
    concurrency: result.concurrency,
    replayed: result.replayed.map((r) => ({
      index: r.index,
      gaps: r.gaps.length,
      ...(r.failure ? { failure: r.failure.kind } : {}),
      durationMs: r.judged.replay.durationMs,
    })),
    counterexample: result.counterexample ? runJson(result.counterexample) : null,
    agentFailures: result.agentFailures.map(runJson),
  };
}
