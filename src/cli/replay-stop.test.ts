import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEV_CLI } from "../testing/dev-cli.js";

// The agent runs in a process group of its own, which is not the terminal's foreground group: Ctrl-C
// reaches trailcheck alone, and Node dies of SIGINT/SIGTERM/SIGHUP without an `exit` event. Stopping
// trailcheck must stop the agent it started ("everything stops by itself").

const at = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const SCENARIO = at("examples/support-agent/scenarios/refund-allowed.yaml");
const LOGGING = at("examples/logging/passing.yaml");

/**
 * Whether `pid` still runs. A killed agent whose parent (trailcheck) died first is a zombie until
 * whoever adopts it reaps it, and `kill(pid, 0)` still succeeds on a zombie: read its state instead.
 */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
};

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  return undefined;
}

let dir = "";
let agentPid = 0;
afterEach(async () => {
  // The shell is the leader of the agent's group: kill the group, its `sleep` too.
  if (agentPid > 0) {
    try {
      process.kill(-agentPid, "SIGKILL");
    } catch {
      // Already gone, as it should be.
    }
  }
  agentPid = 0;
  await rm(dir, { recursive: true, force: true });
});

describe("trailcheck replay stopped by a signal", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`kills the agent when trailcheck gets ${signal}, and dies of it`, async () => {
      dir = await mkdtemp(join(tmpdir(), "trailcheck-replay-stop-"));
      const pidFile = join(dir, "agent.pid");
      // The agent ignores SIGTERM and would sleep for five minutes.
      const agent = `trap '' TERM; echo $$ > "${pidFile}"; sleep 300`;
      const cli = spawn(
        process.execPath,
        [...DEV_CLI, "replay", SCENARIO, "--agent", agent, "--logging", LOGGING, "--timeout", "10m"],
        { stdio: "ignore" },
      );
      const ended = new Promise<NodeJS.Signals | null>((resolve) => cli.once("exit", (_c, s) => resolve(s)));
      agentPid =
        (await waitFor(async () => {
          const pid = Number(await readFile(pidFile, "utf8").catch(() => ""));
          return pid > 0 ? pid : undefined;
        }, 30_000)) ?? 0;
      expect(agentPid).toBeGreaterThan(0);
      cli.kill(signal);
      expect(await ended).toBe(signal);
      expect(await waitFor(async () => (alive(agentPid) ? undefined : true), 10_000)).toBe(true);
    }, 60_000);
  }
});
