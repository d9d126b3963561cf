import { stringify } from "yaml";
import type { Scenario } from "../model/scenario.js";

/** A scenario as a YAML file `trailcheck replay FILE` reads back unchanged. */
export function scenarioYaml(scenario: Scenario, comment?: string): string {
  const header = comment
    ? `${comment
        .split("\n")
        .map((l) => `# ${l}`)
        .join("\n")}\n`
    : "";
  return `${header}${stringify(scenario, { lineWidth: 0 })}`;
}
