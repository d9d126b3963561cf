import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runFuzz } from "../cli/fuzz.js";
import { loadLoggingConfig } from "../config/logging.js";
import { resolveProfile } from "../profiles/resolve.js";
import { auditTime } from "../project/judging.js";
import { loadScenario } from "../replay/scenario.js";
import { scenarioArb } from "../synth/agent-scenario.js";
import { checkAgentProperties } from "./against-agent.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LOGGING = join(ROOT, "examples/logging/passing.yaml");
const AGENT = "node bin/run-ts.js examples/support-agent/agent.ts";
// Each replay starts the reference agent under tsx: seconds apiece on a loaded 2-core machine.
const E2E_TIMEOUT = 180_000;

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON output under test
type Json = Record<string, any>;

/** runFuzz in this process, its stdout captured and parsed. */
async function fuzzJson(flags: Parameters<typeof runFuzz>[0]): Promise<{ code: number; out: Json }> {
  let text = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  try {
    const code = await runFuzz({ format: "json", ...flags }, ROOT);
    return { code, out: JSON.parse(text) };
  } finally {
    spy.mockRestore();
  }
}

// The first two run side by side; only one test at a time may capture stdout.
describe("synthetic scenarios against the reference agent", () => {
  it.concurrent(
    "passing.yaml: 3 scenarios at concurrency 2, no gaps and no agent failures",
    async () => {
      const config = await loadLoggingConfig(LOGGING);
      const profile = await resolveProfile(config.compliance, LOGGING);
      const result = await checkAgentProperties({
        command: AGENT,
        cwd: ROOT,
        runs: 3,
        seed: 11,
        concurrency: 2,
        scenarios: scenarioArb(),
        judge: { config, profile, auditAfterNs: auditTime({}, profile).ns },
      });
      expect(result.agentFailures.map((r) => r.failure)).toEqual([]);
      expect(result.replayed.map((r) => r.index)).toEqual([0, 1, 2]);
      // A scripted API error (a failed model call the client retries) is among them, and keeps no gap.
      expect(result.replayed.some((r) => r.scenario.turns.some((t) => "error" in t))).toBe(true);
      expect(result.counterexample?.gaps).toBeUndefined();
      for (const r of result.replayed) {
        const requested = r.scenario.turns.flatMap((t) =>
          "toolCalls" in t ? t.toolCalls.map((c) => c.id) : [],
        );
        expect(r.judged.replay.exchange.toolCallsRequested.map((c) => c.id)).toEqual(requested);
      }
    },
    E2E_TIMEOUT,
  );

  it.concurrent(
    "recordOutputs off: instrumentation gaps, the failing scenario with seed, index and replay command, saved as YAML",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "trailcheck-fuzz-agent-"));
      try {
        const saveScenario = join(dir, "failing.yaml");
        const agent = `SUPPORT_AGENT_RECORD_OUTPUTS=0 ${AGENT}`;
        const { code, out } = await fuzzJson({
          agent,
          logging: "examples/logging/passing.yaml",
          runs: "3",
          seed: "5",
          concurrency: "2",
          saveScenario,
        });
        expect(code).toBe(1);
        expect(out).toMatchObject({
          version: 1,
          mode: "agent",
          runs: 3,
          seed: 5,
          concurrency: 2,
          agentFailures: [],
        });
        const c = out.counterexample;
        expect(c.index).toBe(0);
        expect(c.scenario.name).toBe("fuzz-seed-5-0");
        expect(c.gaps.length).toBeGreaterThan(0);
        expect(c.gaps.every((g: Json) => g.cause === "instrumentation")).toBe(true);
        expect(c.gaps.some((g: Json) => g.fact === "arguments")).toBe(true);
        expect(c.replay).toBe(
          `npx trailcheck fuzz --agent '${agent}' --logging examples/logging/passing.yaml --seed 5 --runs 3 --only 0`,
        );
        expect(await loadScenario(saveScenario)).toEqual(c.scenario);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    E2E_TIMEOUT,
  );

  it(
    "an agent that sends no telemetry is the agent's failure (exit 3), never a gap",
    async () => {
      const agent = `"${process.execPath}" src/replay/testdata/silent.mjs`;
      const { code, out } = await fuzzJson({ agent, logging: LOGGING, runs: "2", seed: "1", only: "1" });
      expect(code).toBe(3);
      expect(out.counterexample).toBeNull();
      expect(out.replayed).toEqual([
        { index: 1, gaps: 0, failure: "no-telemetry", durationMs: expect.any(Number) },
      ]);
      expect(out.agentFailures[0].replay).toMatch(/ --seed 1 --runs 2 --only 1$/);
    },
    E2E_TIMEOUT,
  );
});

describe("trailcheck fuzz --agent: bad input", () => {
  it.each([
    [{ convention: "genai" }, /--convention does not apply to --agent/],
    [{ runs: "2", only: "2" }, /--only must be an integer from 0 to 1/],
    [{ concurrency: "0" }, /--concurrency must be an integer from 1 to 64/],
    [{ timeout: "soon" }, /--timeout must be a duration/],
  ])("%o", async (flags, message) => {
    await expect(runFuzz({ agent: "true", logging: LOGGING, ...flags }, ROOT)).rejects.toThrow(message);
  });
});
