import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Scenario } from "../model/scenario.js";
import { runReplay, runReplays } from "./runner.js";

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const node = (file: string) => `"${process.execPath}" "${testdata(file)}"`;

const scenario: Scenario = {
  name: "two-turns",
  input: "Where is my order?",
  turns: [{ text: "Let me check." }, { text: "It was delivered." }],
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runner: the agent's failures", { timeout: 90_000 }, () => {
  it("reports a crash (killed by a signal)", async () => {
    const r = await runReplay({ scenario, command: node("crash.mjs") });
    expect(r.failure?.kind).toBe("crash");
    expect(r.failure?.message).toMatch(/SIGKILL|signal 9/);
    expect(r.exchange.modelCalls).toBe(1);
  });

  it("reports an uncaught exception as a non-zero exit, with the last stderr line", async () => {
    const r = await runReplay({ scenario, command: node("throws.mjs") });
    expect(r.exitCode).toBe(1);
    expect(r.failure?.kind).toBe("nonzero-exit");
    expect(r.stderr).toContain("unexpected state");
  });

  it("kills a hanging agent and the child it started on timeout", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-hang-"));
    try {
      const pidFile = join(dir, "child.pid");
      const r = await runReplay({
        scenario,
        command: node("hang.mjs"),
        env: { HANG_PID_FILE: pidFile },
        // Long enough for a loaded machine to start node and write the pid file.
        timeoutMs: 10_000,
        killGraceMs: 1000,
      });
      expect(r.failure?.kind).toBe("timeout");
      expect(r.stdout).toMatch(/started child \d+/);
      const childPid = Number(await readFile(pidFile, "utf8"));
      for (let i = 0; i < 100 && alive(childPid); i++) await sleep(100);
      expect(alive(childPid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports an agent that exits before its exporter flushed as sending no telemetry", async () => {
    const r = await runReplay({ scenario, command: node("exit-before-flush.mjs") });
    expect(r.exitCode).toBe(0);
    expect(r.failure?.kind).toBe("no-telemetry");
    expect(r.exchange.modelCalls).toBe(1);
  });

  it("reports an agent that never sends telemetry", async () => {
    const r = await runReplay({ scenario, command: node("silent.mjs") });
    expect(r.failure).toMatchObject({ kind: "no-telemetry" });
    expect(r.records).toHaveLength(0);
  });

  it("reports spans sent without any call to the mock model: the scenario was never replayed", async () => {
    const r = await runReplay({ scenario, command: node("no-model-call.mjs") });
    expect(r.stdout).toContain("export answered 200");
    expect(r.records).toHaveLength(1);
    expect(r.exchange.modelCalls).toBe(0);
    expect(r.failure?.kind).toBe("no-model-call");
    expect(r.failure?.message).toMatch(/no call to the mock model at OPENAI_BASE_URL.*2 scripted turn/);
  });

  it("reports malformed telemetry, keeping the valid spans", async () => {
    const r = await runReplay({ scenario, command: node("malformed.mjs") });
    expect(r.failure?.kind).toBe("malformed-telemetry");
    expect(r.stdout).toContain("garbage answered 400");
    expect(r.records).toHaveLength(1);
    expect(r.malformedTelemetry[0]!.status).toBe(400);
  });

  it("reports more model calls than scripted as an overrun", async () => {
    const r = await runReplay({ scenario, command: node("overrun.mjs") });
    expect(r.failure?.kind).toBe("overrun");
    expect(r.exchange.modelCalls).toBe(2);
    expect(r.exchanges.at(-1)!.response.kind).toBe("overrun");
    expect(r.records).toHaveLength(2);
  });

  it("reports a command that does not exist as a crash", async () => {
    const r = await runReplay({ scenario, command: "trailcheck-no-such-agent-command" });
    expect(r.failure?.kind).toBe("crash");
    expect(r.exitCode).toBe(127);
  });

  it("keeps only the tail of a chatty agent's output", async () => {
    const r = await runReplay({
      scenario,
      command: `"${process.execPath}" -e "process.stdout.write('x'.repeat(200000) + 'END')"`,
      outputLimit: 1024,
    });
    expect(r.stdout.endsWith("END")).toBe(true);
    expect(r.stdout.length).toBeLessThan(1200);
    expect(r.stdout).toMatch(/earlier bytes dropped/);
  });

  it("runs replays side by side, each with its own endpoints", async () => {
    const results = await runReplays(
      [
        { scenario, command: node("malformed.mjs") },
        { scenario, command: node("silent.mjs") },
      ],
      2,
    );
    expect(results.map((r) => r.failure?.kind)).toEqual(["malformed-telemetry", "no-telemetry"]);
    expect(results.map((r) => r.exchange.modelCalls)).toEqual([1, 1]);
  });
});

// An agent that starts a helper in a session of its own holding the inherited stdout/stderr (a detached
// spawn, as a tool may start an MCP server), records its pid, then works and exits, exits at once, or hangs.
const leavesHelper = `
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { chat, chatSpan, exportJson } from ${JSON.stringify(pathToFileURL(testdata("_lib.mjs")).href)};
const helper = spawn("sleep", ["300"], { detached: true, stdio: "inherit" });
helper.unref();
writeFileSync(process.env.HELPER_PID_FILE, String(helper.pid));
process.stdout.write("started helper\\n");
const mode = process.argv[2];
if (mode === "hang") setInterval(() => {}, 1000);
if (mode === "works") {
  await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
  process.stdout.write(\`exported \${await exportJson([chatSpan()])}\\n\`);
}
`;

describe("runner: a helper the agent leaves outside its process group", { timeout: 25_000 }, () => {
  const dirs: string[] = [];
  // The helper is not the replay's to kill: the test kills it (a hang without the fix leaves it too).
  afterEach(async () => {
    for (const dir of dirs.splice(0)) {
      const pid = Number(await readFile(join(dir, "helper.pid"), "utf8").catch(() => ""));
      if (pid > 0 && alive(pid)) process.kill(pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function replayLeaving(mode: string, extra: { timeoutMs?: number; command?: string } = {}) {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-leftover-"));
    dirs.push(dir);
    const agent = join(dir, "agent.mjs");
    await writeFile(agent, leavesHelper);
    const pidFile = join(dir, "helper.pid");
    const r = await runReplay({
      scenario,
      command: extra.command?.replaceAll("PID_FILE", pidFile) ?? `"${process.execPath}" "${agent}" ${mode}`,
      env: { HELPER_PID_FILE: pidFile },
      killGraceMs: 1000,
      ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
    });
    const helper = Number(await readFile(pidFile, "utf8"));
    return { r, helper, agent };
  }

  it("judges an agent that exits after its telemetry, and reports the helper holding its output", async () => {
    const { r, helper } = await replayLeaving("works");
    expect(r.exitCode).toBe(0);
    expect(r.failure).toBeUndefined();
    expect(r.records).toHaveLength(1);
    expect(r.stdout).toContain("exported 200");
    expect(r.leftover).toMatch(
      /outside its process group .* still held its stdout\/stderr 1000 ms after it exited/,
    );
    expect(alive(helper)).toBe(true);
  });

  it("ends when the agent exits at once, as having sent no telemetry", async () => {
    const { r } = await replayLeaving("quits");
    expect(r.failure?.kind).toBe("no-telemetry");
    expect(r.leftover).toBeDefined();
  });

  it("ends on timeout while the helper still holds the agent's output", async () => {
    const { r, helper } = await replayLeaving("hang", { timeoutMs: 5000 });
    expect(r.failure?.kind).toBe("timeout");
    expect(r.stdout).toContain("started helper");
    expect(r.leftover).toBeDefined();
    expect(alive(helper)).toBe(true);
  });

  it("ends when the command itself starts a helper with setsid", async () => {
    const { r } = await replayLeaving("", {
      command: `setsid sh -c 'echo $$ > "PID_FILE"; exec sleep 300' & "${process.execPath}" -e "1"`,
    });
    expect(r.exitCode).toBe(0);
    expect(r.failure?.kind).toBe("no-telemetry");
    expect(r.leftover).toBeDefined();
  });

  it("reports nothing left over for an agent whose output ends with it", async () => {
    const r = await runReplay({ scenario, command: node("silent.mjs") });
    expect(r.leftover).toBeUndefined();
  });
});
