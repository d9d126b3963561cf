import { readInputFile } from "../files/read-input.js";
import { type Scenario, ScenarioSchema } from "../model/scenario.js";
import { parseYaml } from "../yaml/load.js";

/** Parses scenario text (YAML, of which JSON is a subset); `file` names it in errors. */
export function parseScenario(text: string, file: string): Scenario {
  return parseYaml(text, ScenarioSchema, file, "bad-scenario");
}

/** Reads and validates a scenario file (`.yaml`, `.yml` or `.json`). */
export async function loadScenario(file: string): Promise<Scenario> {
  return parseScenario(await readInputFile(file, "the scenario file"), file);
}
