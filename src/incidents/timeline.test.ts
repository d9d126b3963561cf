// `incident show` on a hostile recording: a run nested twenty thousand deep prints in linear time and
// size (indentation stops growing; the depth is written instead), and nesting is worked out once.
import { describe, expect, it } from "vitest";
import { deriveActions } from "../conventions/index.js";
import { actionDepths } from "../conventions/nesting.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { span } from "../testing/records.js";
import type { LoadedIncident } from "./load.js";
import { IncidentSchema } from "./schema.js";
import { formatTimeline, MAX_INDENT } from "./timeline.js";

const agent = (id: number, parent?: number) =>
  span({
    id,
    ...(parent !== undefined ? { parent } : {}),
    name: `invoke_agent a${id}`,
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": `a${id}` },
  });

/** A chain of `n` agents, each invoked by the one before. */
const chain = (n: number) => Array.from({ length: n }, (_, i) => agent(i + 1, i === 0 ? undefined : i));

function incidentOf(records: ReturnType<typeof chain>): LoadedIncident {
  const incident = IncidentSchema.parse({
    id: "INC-0001",
    title: "deep",
    reported: "2026-01-22",
    source: "incident-investigation",
    severity: "low",
    summary: "a run nested deeper than any agent should be",
    run: "INC-0001-deep.run.jsonl",
    expect: { facts: ["agent:a1.name"], auditAfter: "7d" },
  });
  return { file: "INC-0001-deep.yaml", incident, runFile: "INC-0001-deep.run.jsonl", records };
}

describe("incident show of a deeply nested run", () => {
  it("depths of a 20,000-deep chain, without recursion; a cycle is cut where it closes", () => {
    const records = chain(20_000);
    const actions = deriveActions(records);
    const depthOf = actionDepths(actions, records);
    expect(actions.map(depthOf).slice(-3)).toEqual([19_997, 19_998, 19_999]);
    const cyclic = [agent(1, 3), agent(2, 1), agent(3, 2)];
    const cycle = deriveActions(cyclic);
    expect(cycle.map(actionDepths(cycle, cyclic)).every((d) => d >= 0 && d <= 3)).toBe(true);
  });

  it("prints a 20,000-deep run in output linear in its length", () => {
    const n = 20_000;
    const text = formatTimeline(incidentOf(chain(n)), BUILTIN_PROFILES.reconstructable!);
    const lines = text.split("\n");
    const last = lines.find((l) => l.includes(`agent   a${n} `));
    expect(last).toContain(`(depth ${n - 1}) agent   a${n}`);
    expect(last!.indexOf("agent")).toBeLessThan(10 + 2 * (MAX_INDENT + 1) + 20);
    // Quadratic indentation would be ~n² = 4·10⁸ characters; each action takes a few lines.
    expect(text.length).toBeLessThan(n * 400);
  });
});
