// Records one run of the reference agent (examples/support-agent) per scenario through the replay
// harness — the real AI SDK agent against the mock model endpoint, its OTLP export received on loopback —
// and writes each run's spans as trailcheck JSONL into examples/audit/recordings/. The audit fixtures
// (fixtures.ts) are made from these runs and the traces in examples/traces/.
//
//   node bin/run-ts.js examples/audit/record-runs.ts
//
// Run from the project root; the agent command is agent.command of trailcheck.config.yaml.
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { serializeRecordsJsonl } from "../../src/ingest/trailcheck-jsonl.js";
import { resolveProject } from "../../src/project/project.js";
import { runReplay } from "../../src/replay/runner.js";
import { loadScenario } from "../../src/replay/scenario.js";

const SCENARIOS = ["refund-allowed", "refund-denied", "model-error", "tool-error"];
const project = await resolveProject();
const command = project.agentCommand;
if (!command) throw new Error("set agent.command in trailcheck.config.yaml");

for (const name of SCENARIOS) {
  const file = join("examples/support-agent/scenarios", `${name}.yaml`);
  const replay = await runReplay({ scenario: await loadScenario(file), command, cwd: project.root });
  if (replay.failure) {
    process.stderr.write(
      `${basename(file)}: ${replay.failure.kind}: ${replay.failure.message}\n${replay.stderr}`,
    );
    process.exit(3);
  }
  // `source` names this machine's temp files, not the run.
  const records = replay.records.map(({ source: _source, ...r }) => r);
  const out = join("examples/audit/recordings", `${name}.jsonl`);
  await writeFile(out, serializeRecordsJsonl(records));
  process.stdout.write(`${out}: ${records.length} spans\n`);
}
