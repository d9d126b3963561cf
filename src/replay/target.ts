import { basename, relative, resolve } from "node:path";
import { parse } from "yaml";
import { InputError } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import {
  discoverIncidents,
  INCIDENT_FILE,
  incidentEntry,
  type LoadedIncident,
  loadIncident,
} from "../incidents/load.js";
import type { Scenario } from "../model/scenario.js";
import { scenarioFromIncident } from "./from-incident.js";
import { loadScenario } from "./scenario.js";

/** What `trailcheck replay` runs: a scenario file, or the scenario of an incident. */
export type ReplayTarget =
  | { readonly kind: "scenario"; readonly file: string; readonly scenario: Scenario }
  | {
      readonly kind: "incident";
      readonly file: string;
      readonly incident: LoadedIncident;
      readonly scenario: Scenario;
    };

const INCIDENT_ID = /^(?:INC-)?(\d{1,4})$/i;

/** An incident file by name, or a YAML document with an incident's `id` and `expect`. */
async function looksLikeIncident(file: string): Promise<boolean> {
  if (INCIDENT_FILE.test(basename(file))) return true;
  try {
    const doc = parse(await readInputFile(file), { logLevel: "error" }) as Record<string, unknown> | null;
    return typeof doc?.id === "string" && /^INC-\d{4}$/.test(doc.id) && typeof doc.expect === "object";
  } catch {
    return false; // unreadable or not YAML: loadScenario says what is wrong
  }
}

async function incidentTarget(file: string): Promise<ReplayTarget> {
  const incident = await loadIncident(file);
  return { kind: "incident", file, incident, scenario: scenarioFromIncident(incident.incident, file) };
}

/**
 * Resolves `trailcheck replay`'s argument: an incident id (`INC-0003`, or `3`) looked up in
 * `incidentsDir`, an incident file, or a scenario file. Errors are InputErrors (exit 2).
 */
export async function loadReplayTarget(
  arg: string,
  incidentsDir: string,
  cwd: string = process.cwd(),
): Promise<ReplayTarget> {
  const id = INCIDENT_ID.exec(arg.trim());
  if (id) {
    const wanted = `INC-${id[1]!.padStart(4, "0")}`;
    const entries = await discoverIncidents(incidentsDir);
    const entry = incidentEntry(entries, wanted);
    if (!entry) {
      const dir = relative(cwd, incidentsDir) || ".";
      const known = entries.length > 0 ? `; there are ${entries.map((e) => e.id).join(", ")}` : "";
      throw new InputError("unknown-incident", `no incident ${wanted} in ${dir}/${known}`);
    }
    return incidentTarget(entry.file);
  }
  const file = resolve(cwd, arg);
  if (await looksLikeIncident(file)) return incidentTarget(file);
  return { kind: "scenario", file, scenario: await loadScenario(file) };
}
