import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveActions } from "../conventions/index.js";
import { type AddedIncident, addIncident } from "../incidents/add.js";
import { INCIDENT_SCHEMA_PATH } from "../incidents/json-schema.js";
import type { Scenario as IncidentScenario } from "../incidents/schema.js";
import { serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import type { Profile } from "../model/profile.js";
import type { Scenario } from "../model/scenario.js";
import type { AuditTime } from "../project/judging.js";
import type { Project } from "../project/project.js";
import type { AgentRun } from "./against-agent.js";

const SCHEMA_FILE = join(import.meta.dirname, "..", "..", INCIDENT_SCHEMA_PATH);
const MAX_FACTS = 12;

/** The scripted scenario in an incident's form: arguments as the JSON text the model sent, no API errors (the client retried them). */
function incidentScenario(scenario: Scenario): IncidentScenario {
  const turns: IncidentScenario["turns"] = [];
  for (const t of scenario.turns) {
    if ("toolCalls" in t) {
      turns.push({
        toolCalls: t.toolCalls.map((c) => ({
          ...(c.id !== undefined ? { id: c.id } : {}),
          name: c.name,
          arguments: JSON.stringify(c.arguments),
        })),
      });
    } else if ("text" in t) {
      turns.push({ text: t.text });
    }
  }
  return { input: scenario.input, turns };
}

export interface SaveAgentOptions {
  /** The project: where incidents live and what to scrub. */
  readonly project: Project;
  /** The agent command the scenario was replayed against: the incident replays against it alone. */
  readonly command: string;
  readonly profile: Profile;
  readonly audit: AuditTime;
  /** YYYY-MM-DD; default today. */
  readonly reported?: string;
}

/**
 * Saves a synthetic scenario whose replay against the agent had gaps as an incident
 * (`source: counterexample`): the agent's recorded run, scrubbed, the scripted scenario and the agent
 * command, so the incident suites check it and replay it from then on.
 */
export async function saveAgentCounterexample(
  run: AgentRun,
  options: SaveAgentOptions,
): Promise<AddedIncident | undefined> {
  const records = run.judged.replay.records;
  if (run.gaps.length === 0 || records.length === 0) return undefined;
  const actions = new Set(deriveActions(records).map((a) => `${a.kind}:${a.name}`));
  const facts = [
    ...new Set(
      run.gaps
        .filter((g) => actions.has(`${g.action.kind}:${g.action.name}`))
        .map((g) => `${g.action.kind}:${g.action.name}.${g.fact}`),
    ),
  ].slice(0, MAX_FACTS);
  const causes = [...new Set(run.gaps.map((g) => g.cause))].join(", ");
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-agent-"));
  try {
    const file = join(dir, "replay.jsonl");
    await writeFile(file, serializeRecordsJsonl(records));
    return await addIncident({
      file,
      title: `Counterexample: ${run.scenario.name} against the agent loses facts (${causes})`,
      summary:
        `Synthetic scenario ${run.index} (${run.scenario.description ?? run.scenario.name}) replayed against ` +
        `${options.command}: ${run.gaps.length} gap(s). Replay: ${run.replay}`,
      source: "counterexample",
      severity: run.gaps.some((g) => g.severity === "critical") ? "high" : "medium",
      reported: options.reported ?? new Date().toISOString().slice(0, 10),
      ...(facts.length > 0 ? { facts } : {}),
      auditAfter: options.audit.text,
      dir: options.project.incidentsDir,
      schemaFile: SCHEMA_FILE,
      profile: options.profile,
      scrub: true,
      scrubPatterns: options.project.scrub.patterns,
      scrubKeys: options.project.scrub.keys,
      scenario: incidentScenario(run.scenario),
      replayAgent: options.command,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
