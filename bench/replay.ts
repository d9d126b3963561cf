// Replay overhead: per replay, the agent's own time (spawn to exit) against the time the harness
// adds (servers, scenario file, waiting for late telemetry, teardown), and throughput at
// concurrency 1 and 2. Target (issue 4): the harness adds at most max(20 %, 150 ms) to a replay.
//
//   node bin/run-ts.js bench/replay.ts [REPLAYS_PER_LEVEL]
import { fileURLToPath } from "node:url";
import { type ReplayResult, runReplays } from "../src/replay/runner.js";
import { loadScenario } from "../src/replay/scenario.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const n = Number(process.argv[2] ?? 4);
const scenario = await loadScenario(`${ROOT}examples/support-agent/scenarios/refund-allowed.yaml`);
const job = {
  scenario,
  command: "node bin/run-ts.js examples/support-agent/agent.ts",
  cwd: ROOT,
  timeoutMs: 120_000,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

function report(level: number, results: ReplayResult[], wallMs: number): void {
  const failed = results.filter((r) => r.failure);
  if (failed.length > 0)
    throw new Error(`replay failed: ${failed[0]!.failure!.kind}: ${failed[0]!.failure!.message}`);
  const agent = results.map((r) => r.timings.agentMs);
  const added = results.map((r) => r.timings.totalMs - r.timings.agentMs);
  const wait = results.map((r) => r.timings.telemetryWaitMs);
  const share = results.map((r) => (r.timings.totalMs - r.timings.agentMs) / r.timings.agentMs);
  const budget = Math.max(0.2 * median(agent), 150);
  process.stdout.write(
    [
      `concurrency ${level}: ${results.length} replays in ${ms(wallMs)} = ${((results.length / wallMs) * 60_000).toFixed(1)} replays/min`,
      `  agent's own time   median ${ms(median(agent))} (min ${ms(Math.min(...agent))}, max ${ms(Math.max(...agent))})`,
      `  harness added      median ${ms(median(added))} (max ${ms(Math.max(...added))}), of which telemetry wait median ${ms(median(wait))}`,
      `  added / agent      median ${(median(share) * 100).toFixed(1)} % · budget ${ms(budget)}: ${median(added) <= budget ? "within" : "OVER"}`,
      "",
    ].join("\n"),
  );
}

// One warm-up replay so the first measured one doesn't pay for cold file caches.
await runReplays([job], 1);
for (const level of [1, 2]) {
  const start = performance.now();
  const results = await runReplays(
    Array.from({ length: n }, () => job),
    level,
  );
  report(level, results, performance.now() - start);
}
