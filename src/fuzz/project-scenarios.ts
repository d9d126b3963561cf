import { readdir } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import type { Scenario } from "../model/scenario.js";
import { loadScenario } from "../replay/scenario.js";
import { scenarioArb } from "../synth/agent-scenario.js";
import type { ScenarioTool } from "../synth/agent-scenario-tools.js";

/** Every scenario file (`.yaml`, `.yml`, `.json`) directly in `dir`, by name; none when it doesn't exist. */
export async function loadScenarioDir(dir: string): Promise<Scenario[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  const files = names.filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
  return Promise.all(files.map((f) => loadScenario(join(dir, f))));
}

/**
 * The tools a project's scenarios script, each with the arguments they give it: what synthetic
 * scenarios may have the model ask the agent for. Only the agent's own tools make sense there, and
 * its scenarios are where the project names them.
 */
export function toolsFromScenarios(scenarios: readonly Scenario[]): ScenarioTool[] {
  const examples = new Map<string, Map<string, Record<string, unknown>>>();
  for (const s of scenarios) {
    for (const turn of s.turns) {
      if (!("toolCalls" in turn)) continue;
      for (const call of turn.toolCalls) {
        const seen = examples.get(call.name) ?? new Map<string, Record<string, unknown>>();
        seen.set(JSON.stringify(call.arguments), call.arguments);
        examples.set(call.name, seen);
      }
    }
  }
  return [...examples].map(([name, args]) => ({ name, arguments: fc.constantFrom(...args.values()) }));
}

/**
 * Synthetic scenarios for the project's agent: the tool calls and user inputs of its scenarios in
 * `scenariosDir`, recombined; model turns with text and API errors alone when none scripts a tool.
 * `trailcheck fuzz --agent` and the agent suite both use it, so a printed replay command reproduces.
 */
export async function projectScenarioArb(scenariosDir: string): Promise<fc.Arbitrary<Scenario>> {
  const scenarios = await loadScenarioDir(scenariosDir);
  const inputs = [...new Set(scenarios.map((s) => s.input))];
  return scenarioArb({
    tools: toolsFromScenarios(scenarios),
    ...(inputs.length > 0 ? { input: fc.constantFrom(...inputs) } : {}),
  });
}
