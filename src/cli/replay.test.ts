import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runReplayVerb } from "./replay.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const at = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const SCENARIO = at("examples/support-agent/scenarios/refund-allowed.yaml");
const LOGGING = at("examples/logging/passing.yaml");

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON output under test
type Json = Record<string, any>;

async function json(run: () => Promise<number>): Promise<{ code: number; out: Json }> {
  let text = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    const code = await run();
    return { code, out: JSON.parse(text) };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("trailcheck replay", () => {
  it("reports the agent's failure with exit code 3 and no runs judged", async () => {
    const agent = `"${process.execPath}" "${at("src/replay/testdata/silent.mjs")}"`;
    const { code, out } = await json(() =>
      runReplayVerb(SCENARIO, { agent, logging: LOGGING, format: "json", timeout: "60s" }),
    );
    expect(code).toBe(3);
    expect(out.version).toBe(1);
    expect(out.runs).toEqual([]);
    expect(out.agent).toMatchObject({ exitCode: 0, failure: { kind: "no-telemetry" } });
    expect(out.exchange).toEqual({
      modelCalls: 1,
      toolCallsRequested: [
        { id: "call_lookup_order_01", name: "lookup_order", arguments: { orderId: "A-1001" } },
      ],
    });
  }, 60_000);

  it("exits 3, never with a verdict, when the agent sends spans but never calls the mock model", async () => {
    const agent = `"${process.execPath}" "${at("src/replay/testdata/no-model-call.mjs")}"`;
    const { code, out } = await json(() =>
      runReplayVerb(SCENARIO, { agent, logging: LOGGING, format: "json", timeout: "60s" }),
    );
    expect(code).toBe(3);
    expect(out.runs).toEqual([]);
    expect(out.agent.failure.kind).toBe("no-model-call");
  }, 60_000);

  it("notes a process the agent left outside its process group holding its output", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-cli-leftover-"));
    const pidFile = join(dir, "helper.pid");
    try {
      const silent = `"${process.execPath}" "${at("src/replay/testdata/silent.mjs")}"`;
      const agent = `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 300' & ${silent}`;
      const { code, out } = await json(() =>
        runReplayVerb(SCENARIO, { agent, logging: LOGGING, format: "json", timeout: "60s" }),
      );
      expect(code).toBe(3);
      expect(out.agent.failure.kind).toBe("no-telemetry");
      expect(out.agent.leftover).toMatch(/outside its process group/);
    } finally {
      const pid = Number(await readFile(pidFile, "utf8").catch(() => ""));
      if (pid > 0) process.kill(pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("reports missing tool arguments with cause instrumentation and exit code 1 (recordOutputs off)", async () => {
    const agent = "SUPPORT_AGENT_RECORD_OUTPUTS=0 node bin/run-ts.js examples/support-agent/agent.ts";
    expect(process.cwd()).toBe(ROOT.replace(/\/$/, "")); // the agent command is relative to the project
    {
      const { code, out } = await json(() =>
        runReplayVerb(SCENARIO, { agent, logging: LOGGING, format: "json", timeout: "90s" }),
      );
      expect(code).toBe(1);
      expect(out.agent.failure).toBeUndefined();
      expect(out.exchange.modelCalls).toBe(4);
      expect(out.exchange.toolCallsRequested[1]).toEqual({
        id: "call_refund_payment_02",
        name: "refund_payment",
        arguments: { orderId: "A-1001", amount: 40 },
      });
      expect(out.runs).toHaveLength(1);
      const missingArgs = out.runs[0].gaps.filter(
        (g: { fact: string; cause: string }) => g.fact === "arguments" && g.cause === "instrumentation",
      );
      expect(missingArgs.map((g: { action: { name: string } }) => g.action.name)).toEqual([
        "lookup_order",
        "refund_payment",
        "email_customer",
      ]);
    }
  }, 120_000);

  it("refuses a bad --timeout before running anything", async () => {
    await expect(
      runReplayVerb(SCENARIO, { agent: "true", logging: LOGGING, format: "json", timeout: "soon" }),
    ).rejects.toThrow(/--timeout must be a duration/);
  });
});
