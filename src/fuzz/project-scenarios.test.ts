import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenarioDir, projectScenarioArb, toolsFromScenarios } from "./project-scenarios.js";

const SCENARIOS = join(import.meta.dirname, "..", "..", "examples", "support-agent", "scenarios");

describe("synthetic scenarios from a project's scenarios", () => {
  it("script only the tools the scenarios name, with the arguments they give them", async () => {
    const scenarios = await loadScenarioDir(SCENARIOS);
    const tools = toolsFromScenarios(scenarios);
    const scripted = scenarios.flatMap((s) =>
      s.turns.flatMap((t) =>
        "toolCalls" in t ? t.toolCalls.map((c) => [c.name, c.arguments] as const) : [],
      ),
    );
    expect(tools.map((t) => t.name).sort()).toEqual([...new Set(scripted.map(([n]) => n))].sort());
    const arb = await projectScenarioArb(SCENARIOS);
    for (const s of fc.sample(arb, { seed: 3, numRuns: 50 })) {
      expect(scenarios.map((x) => x.input)).toContain(s.input);
      for (const t of s.turns) {
        if (!("toolCalls" in t)) continue;
        for (const c of t.toolCalls) expect(scripted).toContainEqual([c.name, c.arguments]);
      }
    }
  });

  it("without scenarios (or none with tool calls): text answers and API errors only", async () => {
    const empty = await mkdtemp(join(tmpdir(), "trailcheck-scenarios-"));
    try {
      expect(await loadScenarioDir(join(empty, "missing"))).toEqual([]);
      const samples = fc.sample(await projectScenarioArb(empty), { seed: 1, numRuns: 40 });
      expect(samples.every((s) => s.turns.every((t) => !("toolCalls" in t)))).toBe(true);
      expect(samples.every((s) => "text" in s.turns.at(-1)!)).toBe(true);
      expect(samples.some((s) => s.turns.some((t) => "error" in t))).toBe(true);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
