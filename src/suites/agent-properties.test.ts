// The agent suite as a user meets it: `trailcheck run` in a project scaffolded by `init --agent`, whose
// agent drops tool arguments (the AI SDK's recordOutputs off). The synthetic scenario fails with the
// command that replays it, that command reproduces the failure, and --save-counterexamples keeps it
// as an incident that replays against the same agent.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Results, ResultsSchema } from "../report/results.js";
import { DEV_CLI } from "../testing/dev-cli.js";

const ROOT = join(import.meta.dirname, "..", "..");
const AGENT = `SUPPORT_AGENT_RECORD_OUTPUTS=0 node ${join(ROOT, "bin/run-ts.js")} ${join(ROOT, "examples/support-agent/agent.ts")}`;
let dir: string;

const cli = (args: string[]) =>
  execa("node", [...DEV_CLI, ...args], { cwd: dir, reject: false, env: { CI: "1", NO_COLOR: "1" } });

beforeAll(async () => {
  // Inside the repository, so the scaffold's `trailcheck/suites/*` imports resolve to this package.
  await mkdir(join(ROOT, ".trailcheck-tmp"), { recursive: true });
  dir = await mkdtemp(join(ROOT, ".trailcheck-tmp", "agent-"));
  const init = await cli(["init", "--agent", AGENT]);
  expect(init.exitCode, init.stderr).toBe(0);
  await cp(join(ROOT, "examples/support-agent/scenarios"), join(dir, "scenarios"), { recursive: true });
  const config = join(dir, "trailcheck.config.yaml");
  const text = await readFile(config, "utf8");
  await writeFile(config, text.replace(/agentRuns: \d+/, "agentRuns: 1\n  seed: 5"));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the agent suite", () => {
  it("fails the scenario with its replay command, which reproduces it; saved as an incident that replays", async () => {
    const r = await cli(["run", "--filter", "agent:", "--output", "out", "--save-counterexamples"]);
    expect(r.exitCode, r.stderr).toBe(1);
    const results: Results = ResultsSchema.parse(
      JSON.parse(await readFile(join(dir, "out/results.json"), "utf8")),
    );
    const test = results.tests.find((t) => t.id.includes("agent-scenario-0"));
    expect(test?.state).toBe("failed");
    const gaps = test?.result?.verdicts.flatMap((v) => v.gaps) ?? [];
    expect(gaps.some((g) => g.cause === "instrumentation" && g.fact === "arguments")).toBe(true);
    const replay = test?.result?.property?.replay ?? "";
    expect(replay).toBe("npx trailcheck fuzz --agent --seed 5 --runs 1 --only 0");

    const again = await cli(replay.replace(/^npx trailcheck /, "").split(" "));
    expect(again.exitCode, again.stderr).toBe(1);
    expect(again.stdout).toContain("instrumentation");

    const saved = (await readdir(join(dir, "incidents"))).filter((f) => /^INC-0001-.*\.yaml$/.test(f));
    expect(saved).toHaveLength(1);
    const incident = parse(await readFile(join(dir, "incidents", saved[0]!), "utf8"));
    expect(incident.source).toBe("counterexample");
    expect(incident.replay).toEqual({ agent: AGENT });
    expect(incident.scenario.turns.length).toBeGreaterThan(0);
  }, 240_000);
});
