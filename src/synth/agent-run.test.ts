import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveActions } from "../conventions/index.js";
import { LoggingConfigSchema } from "../model/logging-config.js";
import { SpanRecordSchema } from "../model/record.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { checkRecords } from "../reconstruct/check.js";
import { agentRunArb, type SyntheticRun } from "./agent-run.js";
import { SYNTH_CONVENTIONS } from "./options.js";
import type { AgentPlan, CallPlan } from "./run-plan.js";

const PASS_THROUGH = LoggingConfigSchema.parse({ streams: [{ name: "all", match: { default: true } }] });
const SEED = 5;

function calls(agent: AgentPlan): CallPlan[] {
  return agent.steps.flatMap((s) => (s.type === "turn" ? [...s.turn.calls] : calls(s.agent)));
}
function agents(agent: AgentPlan): AgentPlan[] {
  return [agent, ...agent.steps.flatMap((s) => (s.type === "turn" ? [] : agents(s.agent)))];
}
const turns = (agent: AgentPlan): number =>
  1 + agent.steps.reduce((n, s) => n + (s.type === "turn" ? 1 : turns(s.agent)), 0);

describe("agentRunArb", () => {
  // The ground rule every other property stands on: a generated run is fully recorded.
  it.each(SYNTH_CONVENTIONS)(
    "%s runs are fully recorded: a pass-through config finds no gap",
    (convention) => {
      fc.assert(
        fc.property(agentRunArb({ convention }), (run) => {
          for (const profile of [BUILTIN_PROFILES.reconstructable!, BUILTIN_PROFILES["eu-ai-act"]!]) {
            const { verdicts } = checkRecords(run.records, PASS_THROUGH, profile, { auditAfterNs: 0n });
            expect(verdicts.flatMap((v) => v.gaps)).toEqual([]);
          }
        }),
        { seed: SEED, numRuns: 60 },
      );
    },
  );

  it.each(SYNTH_CONVENTIONS)(
    "%s runs are recognised as planned: one action per span, every request accounted for",
    (convention) => {
      fc.assert(
        fc.property(agentRunArb({ convention }), (run) => {
          for (const r of run.records) expect(SpanRecordSchema.parse(r)).toEqual(r);
          const actions = deriveActions(run.records);
          expect(actions.every((a) => a.hasRecord)).toBe(true);
          const count = (kind: string) => actions.filter((a) => a.kind === kind).length;
          const planned = calls(run.plan.root);
          expect(count("agent")).toBe(agents(run.plan.root).length);
          expect(count("llm")).toBe(turns(run.plan.root));
          expect(count("tool")).toBe(planned.filter((c) => c.outcome !== "denied").length);
          const denials = actions.filter((a) => a.kind === "policy" && a.blocks).length;
          expect(denials).toBe(planned.filter((c) => c.outcome === "denied").length);
          // Every executed tool call is matched to the model request that asked for it.
          expect(actions.filter((a) => a.kind === "tool").every((a) => a.requestedBy !== undefined)).toBe(
            true,
          );
          expect(actions.every((a) => a.convention === convention || a.convention === "native")).toBe(true);
        }),
        { seed: SEED, numRuns: 40 },
      );
    },
  );

  it("ids: trace ids over the whole id space, never zero; span ids unique; parents present", () => {
    const runs = fc.sample(agentRunArb(), { seed: SEED, numRuns: 300 });
    const firstNibbles = new Set(runs.map((r) => r.traceId[0]));
    expect(firstNibbles.size).toBeGreaterThanOrEqual(14);
    for (const run of runs) {
      expect(run.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.traceId).not.toBe("0".repeat(32));
      const ids = new Set(run.records.map((r) => r.spanId));
      expect(ids.size).toBe(run.records.length);
      for (const r of run.records) if (r.parentSpanId) expect(ids.has(r.parentSpanId)).toBe(true);
      expect(run.records.filter((r) => r.parentSpanId === undefined)).toHaveLength(1);
    }
  });

  it("covers what audits meet: every convention, nesting, handoffs, failures, denials, personal data, late spans", () => {
    const runs: SyntheticRun[] = fc.sample(agentRunArb(), { seed: SEED, numRuns: 400 });
    const all = runs.flatMap((r) => r.records);
    const text = all.flatMap((r) => Object.values(r.attributes)).join("\n");
    expect(new Set(runs.map((r) => r.convention))).toEqual(new Set(SYNTH_CONVENTIONS));
    expect(all.some((r) => r.kind === "handoff")).toBe(true);
    expect(runs.some((r) => agents(r.plan.root).length >= 3)).toBe(true);
    expect(all.some((r) => r.kind === "tool" && r.status.code === "error")).toBe(true);
    expect(all.some((r) => r.kind === "policy" && r.attributes["policy.decision"] === "deny")).toBe(true);
    expect(text).toMatch(/[\w.]+@[\w.]+\.\w+/);
    expect(text).toMatch(/\b\d{16}\b/);
    expect(text).toMatch(/sk-proj-\w{32}/);
    const minutes = runs.map((r) => {
      const times = r.records
        .flatMap((x) => [BigInt(x.start), BigInt(x.end)])
        .sort((a, b) => (a < b ? -1 : 1));
      return Number((times.at(-1)! - times[0]!) / 60_000_000_000n);
    });
    expect(Math.max(...minutes)).toBeGreaterThanOrEqual(5);
  });

  it("payloads from tiny to over 100 kB", () => {
    const runs = fc.sample(agentRunArb({ largeRate: 0.5 }), { seed: SEED, numRuns: 20 });
    const sizes = runs.flatMap((r) =>
      r.records.flatMap((x) => Object.values(x.attributes).map((v) => String(v).length)),
    );
    expect(Math.min(...sizes)).toBeLessThan(20);
    expect(Math.max(...sizes)).toBeGreaterThan(100_000);
  });

  it("options bound depth, breadth and calls; zero rates give plain runs", () => {
    const o = { maxDepth: 0, maxBreadth: 1, maxToolCalls: 1, errorRate: 0, denialRate: 0, agentErrorRate: 0 };
    for (const run of fc.sample(agentRunArb(o), { seed: SEED, numRuns: 100 })) {
      expect(agents(run.plan.root)).toHaveLength(1);
      expect(run.plan.root.steps.length).toBeLessThanOrEqual(1);
      expect(run.records.every((r) => r.status.code !== "error")).toBe(true);
      expect(run.records.some((r) => r.attributes["policy.decision"] === "deny")).toBe(false);
    }
  });

  it("shrinks to a small, readable run", () => {
    // A run with a blocked tool call: the smallest is an agent, the model turn that asked, the denial
    // and the final answer.
    const result = fc.check(
      fc.property(
        agentRunArb(),
        (run) => !run.records.some((r) => r.attributes["policy.decision"] === "deny"),
      ),
      { seed: SEED },
    );
    expect(result.failed).toBe(true);
    const [run] = result.counterexample!;
    const kinds = run.records.map((r) => r.kind);
    expect(kinds.slice(0, 3)).toEqual(["agent", "llm", "policy"]);
    expect(kinds.length).toBeLessThanOrEqual(5);
    expect(run.traceId).toBe("00000000000000000000000000000001");
    expect(
      Math.max(...run.records.flatMap((r) => Object.values(r.attributes).map((v) => String(v).length))),
    ).toBeLessThan(400);
  });
});
