import { InputError } from "../errors.js";
import type { Incident } from "../incidents/schema.js";
import type { Scenario, ScriptedToolCall, Turn } from "../model/scenario.js";

function toolArguments(text: string, at: { file?: string; field: string }): ScriptedToolCall["arguments"] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError("bad-incident", "the tool call's arguments are not JSON", at);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("bad-incident", "the tool call's arguments must be a JSON object", at);
  }
  return value as ScriptedToolCall["arguments"];
}

/**
 * The replay scenario of an incident: its recorded user input and model turns, the tool arguments
 * (JSON text in the incident, as the model sent them) parsed back into objects. `file` names the
 * incident in errors. Throws an InputError (exit 2) when the incident has nothing to replay.
 */
export function scenarioFromIncident(incident: Incident, file?: string): Scenario {
  const where = file ? { file } : {};
  const recorded = incident.scenario;
  if (!recorded || recorded.turns.length === 0) {
    throw new InputError(
      "no-scenario",
      `${incident.id} has no scenario to replay: its recording has no model calls to script. ` +
        "Replay a scenario file instead, or add the incident from a recording with model calls.",
      { ...where, field: "scenario" },
    );
  }
  const turns: Turn[] = recorded.turns.map((turn, i) =>
    "text" in turn
      ? { text: turn.text }
      : {
          toolCalls: turn.toolCalls.map((call, j) => ({
            ...(call.id !== undefined ? { id: call.id } : {}),
            name: call.name,
            arguments: toolArguments(call.arguments, {
              ...where,
              field: `scenario.turns[${i}].toolCalls[${j}].arguments`,
            }),
          })),
        },
  );
  return { name: incident.id, description: incident.title, input: recorded.input, turns };
}

const spaced = (command: string) => command.trim().replace(/\s+/g, " ");

/**
 * Why an incident's scenario should not be replayed against `command`, or undefined when it should:
 * a scenario scripts the tool calls of the agent it was recorded from, so it replays only against
 * the agent the incident names in `replay.agent`. The reason doesn't name the incident (its test
 * does), so the report can count the incidents skipped for the same reason on one line.
 */
export function replaySkipReason(incident: Incident, command: string | undefined): string | undefined {
  if (!incident.scenario) return "the incident has no scenario";
  const own = incident.replay?.agent;
  if (own === undefined) {
    return (
      "the incident does not say which agent it was recorded from (replay.agent), so its scripted " +
      "tool calls may not be the configured agent's; set replay.agent to replay it (`trailcheck incident " +
      "add --agent` records it)"
    );
  }
  if (!command) return `the incident belongs to '${own}' and the project configures no agent.command`;
  if (spaced(own) !== spaced(command)) {
    return `the incident was recorded from '${own}', not from the configured agent '${command}'`;
  }
  return undefined;
}
