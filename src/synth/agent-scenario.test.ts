import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleScenarios } from "../fuzz/against-agent.js";
import { type Scenario, ScenarioSchema } from "../model/scenario.js";
import { parseScenario } from "../replay/scenario.js";
import { scenarioYaml } from "../replay/scenario-yaml.js";
import { scenarioArb } from "./agent-scenario.js";
import { SUPPORT_AGENT_TOOLS } from "./agent-scenario-tools.js";

const TOOL_NAMES = new Set(SUPPORT_AGENT_TOOLS.map((t) => t.name));

describe("scenarioArb", () => {
  it("yields valid scenarios: 1-4 tool turns of 1-2 calls with unique ids, at most one retried error, a final text", () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        expect(ScenarioSchema.parse(s)).toEqual(s);
        const last = s.turns.at(-1)!;
        expect("text" in last && !("toolCalls" in last)).toBe(true);
        const toolTurns = s.turns.filter((t) => "toolCalls" in t);
        expect(toolTurns.length).toBeGreaterThanOrEqual(1);
        expect(toolTurns.length).toBeLessThanOrEqual(4);
        const calls = toolTurns.flatMap((t) => ("toolCalls" in t ? t.toolCalls : []));
        for (const t of toolTurns) expect("toolCalls" in t && t.toolCalls.length <= 2).toBe(true);
        for (const c of calls) expect(TOOL_NAMES.has(c.name)).toBe(true);
        expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
        const errors = s.turns.flatMap((t, i) => ("error" in t ? [i] : []));
        expect(errors.length).toBeLessThanOrEqual(1);
        // The retry gets the next turn, so an error is never last.
        for (const i of errors) expect(i).toBeLessThan(s.turns.length - 1);
      }),
      { numRuns: 300 },
    );
  });

  it("asks for refunds above the policy limit and within it, and sometimes scripts a 429 or 500", () => {
    const sample = fc.sample(scenarioArb(), { seed: 42, numRuns: 200 });
    const amounts = sample.flatMap((s) =>
      s.turns.flatMap((t) =>
        "toolCalls" in t
          ? t.toolCalls.filter((c) => c.name === "refund_payment").map((c) => c.arguments.amount as number)
          : [],
      ),
    );
    expect(amounts.some((a) => a > 100)).toBe(true);
    expect(amounts.some((a) => a <= 100)).toBe(true);
    const statuses = new Set(
      sample.flatMap((s) => s.turns.flatMap((t) => ("error" in t ? [t.error.status] : []))),
    );
    expect(statuses).toEqual(new Set([429, 500]));
  });

  it("uses only the tools it is given", () => {
    const tools = [{ name: "search_web", arguments: fc.record({ q: fc.string() }) }];
    for (const s of fc.sample(scenarioArb({ tools, apiErrors: false }), { seed: 1, numRuns: 50 })) {
      expect(s.turns.some((t) => "error" in t)).toBe(false);
      for (const t of s.turns)
        if ("toolCalls" in t) for (const c of t.toolCalls) expect(c.name).toBe("search_web");
    }
  });

  it("is deterministic for a seed, and scenario i does not depend on the run count", () => {
    expect(sampleScenarios(scenarioArb(), 7, 5)).toEqual(sampleScenarios(scenarioArb(), 7, 5));
    expect(sampleScenarios(scenarioArb(), 7, 9).slice(0, 5)).toEqual(sampleScenarios(scenarioArb(), 7, 5));
    expect(sampleScenarios(scenarioArb(), 7, 5)).not.toEqual(sampleScenarios(scenarioArb(), 8, 5));
  });

  it("shrinks to one turn with one call and no error", () => {
    const out = fc.check(
      fc.property(scenarioArb(), () => false),
      { seed: 3 },
    );
    const [s] = out.counterexample as [Scenario];
    expect(s.turns).toEqual([
      {
        toolCalls: [{ id: "call_lookup_order_1_1", name: "lookup_order", arguments: { orderId: "A-1001" } }],
      },
      { text: expect.any(String) },
    ]);
  });

  it("writes YAML that reads back as the same scenario", () => {
    for (const s of fc.sample(scenarioArb(), { seed: 5, numRuns: 20 })) {
      expect(parseScenario(scenarioYaml(s, "seed 5\nreplay: npx trailcheck fuzz --agent"), "s.yaml")).toEqual(
        s,
      );
    }
  });
});
