// Records one run of the reference agent through the replay machinery and turns it into an incident
// with `trailcheck incident add` (scrubbed, next free id), marked as recorded from this agent so the
// replay suite replays it against it.
//
//   node bin/run-ts.js examples/support-agent/record-incident.ts [SCENARIO_FILE]
//
// Run from the project root; the agent command is agent.command of trailcheck.config.yaml.
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { loadIncident } from "../../src/incidents/load.js";
import { serializeRecordsJsonl } from "../../src/ingest/trailcheck-jsonl.js";
import { resolveProject } from "../../src/project/project.js";
import { runReplay } from "../../src/replay/runner.js";
import { loadScenario } from "../../src/replay/scenario.js";
import { DEV_CLI } from "../../src/testing/dev-cli.js";

const scenarioFile = process.argv[2] ?? "examples/support-agent/scenarios/refund-allowed.yaml";
const project = await resolveProject();
const command = project.agentCommand;
if (!command) throw new Error("set agent.command in trailcheck.config.yaml");

const replay = await runReplay({ scenario: await loadScenario(scenarioFile), command, cwd: project.root });
if (replay.failure) {
  process.stderr.write(`${replay.failure.kind}: ${replay.failure.message}\n${replay.stderr}`);
  process.exit(3);
}

const dir = await mkdtemp(join(tmpdir(), "support-agent-recording-"));
try {
  const recording = join(dir, "run.jsonl");
  await writeFile(recording, serializeRecordsJsonl(replay.records));
  const added = await execa(
    "node",
    [
      ...DEV_CLI,
      "incident",
      "add",
      recording,
      "--title",
      "Reference agent: refund_payment arguments must stay in the replayed run",
      "--summary",
      "A 40 USD refund for order A-1001 by the reference agent (examples/support-agent), recorded " +
        "through the replay harness. Replayed against the agent, the refund's arguments must come out " +
        "of its own telemetry: with the AI SDK's recordOutputs off they are never emitted.",
      "--source",
      "incident-investigation",
      "--severity",
      "high",
      "--fact",
      "tool:refund_payment.arguments",
    ],
    { cwd: project.root },
  );
  process.stdout.write(`${added.stdout}\n`);
  const yamlPath = join(project.root, added.stdout.trim().split("\n").at(-1)!.trim());
  // `incident add` has no flag for it: the recording came from this agent, so it replays against it.
  await appendFile(yamlPath, stringify({ replay: { agent: command } }));
  await loadIncident(yamlPath);
  process.stdout.write(`replay.agent set: ${yamlPath}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
