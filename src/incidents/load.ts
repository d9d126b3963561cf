import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parse } from "yaml";
import { InputError } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { recordsFromTrailcheckJsonl } from "../ingest/trailcheck-jsonl.js";
import type { SpanRecord } from "../model/record.js";
import { parseYaml } from "../yaml/load.js";
import { type Incident, IncidentSchema } from "./schema.js";

/** `INC-0001-some-slug.yaml`: the files that are incidents. */
export const INCIDENT_FILE = /^(INC-\d{4})(?:-[^/\\]*)?\.yaml$/;

export interface LoadedIncident {
  readonly file: string;
  readonly incident: Incident;
  readonly runFile: string;
  /** The recorded run: canonical records of one trace. */
  readonly records: SpanRecord[];
}

/** Validates incident YAML text; errors name the file, line and field. */
export function parseIncident(text: string, file: string): Incident {
  const incident = parseYaml(text, IncidentSchema, file, "bad-incident");
  const fileId = INCIDENT_FILE.exec(basename(file))?.[1];
  if (fileId !== undefined && fileId !== incident.id) {
    throw new InputError("bad-incident", `id ${incident.id} does not match the file name (${fileId})`, {
      file,
      field: "id",
    });
  }
  if (!incident.run.startsWith(`${incident.id}`)) {
    throw new InputError("bad-incident", `run file '${incident.run}' must start with ${incident.id}`, {
      file,
      field: "run",
    });
  }
  return incident;
}

/** Reads an incident and its recorded run. */
export async function loadIncident(file: string): Promise<LoadedIncident> {
  const incident = parseIncident(await readInputFile(file, "the incident file"), file);
  const runFile = join(dirname(file), incident.run);
  let runText: string;
  try {
    runText = await readInputFile(runFile, "the recorded run");
  } catch (err) {
    if (!(err instanceof InputError && err.code === "file-not-found")) throw err;
    throw new InputError(
      "bad-incident",
      `the recorded run '${incident.run}' is missing next to the incident`,
      {
        file,
        field: "run",
      },
    );
  }
  const records = recordsFromTrailcheckJsonl(runText, { file: runFile });
  if (records.length === 0) {
    throw new InputError("bad-incident", "the recorded run holds no records", { file: runFile });
  }
  const traces = new Set(records.map((r) => r.traceId));
  if (traces.size > 1) {
    throw new InputError(
      "bad-incident",
      `the recorded run holds ${traces.size} traces; an incident is one run`,
      {
        file: runFile,
      },
    );
  }
  return { file, incident, runFile, records };
}

/** An incident file found in the folder, with the name its test goes by, even if it does not load. */
export interface IncidentEntry {
  readonly file: string;
  readonly id: string;
  /** `INC-0001 <title>`; the file name when the title can't be read. */
  readonly testName: string;
  /**
   * The other files of the folder with the same id (two branches that each added the next id, then
   * merged): which incident the id means cannot be told, and results matched by id would mix them.
   */
  readonly sameId?: readonly string[];
}

/** The refusal for an entry that shares its id with other files (see `IncidentEntry.sameId`). */
export function sharedIdError(entry: IncidentEntry): InputError | undefined {
  if (!entry.sameId) return undefined;
  const names = [entry.file, ...entry.sameId].map((f) => basename(f)).sort();
  return new InputError(
    "duplicate-incident",
    `${entry.id} is the id of ${names.length} files (${names.join(", ")}): give all but one the next free id ` +
      "(rename the YAML and its .run.jsonl, and change its id:)",
    { file: entry.file },
  );
}

/** The entry of incident `id`; undefined when there is none, an error when several files share it. */
export function incidentEntry(entries: readonly IncidentEntry[], id: string): IncidentEntry | undefined {
  const entry = entries.find((e) => e.id === id);
  const shared = entry && sharedIdError(entry);
  if (shared) throw shared;
  return entry;
}

/** Every `INC-*.yaml` in `dir`, by id. A missing folder has no incidents. */
export async function discoverIncidents(dir: string): Promise<IncidentEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries: IncidentEntry[] = [];
  for (const name of names.filter((n) => INCIDENT_FILE.test(n)).sort()) {
    const file = join(dir, name);
    const id = INCIDENT_FILE.exec(name)![1]!;
    let title: string | undefined;
    try {
      const raw = parse(await readInputFile(file), { logLevel: "error" }) as { title?: unknown } | null;
      if (typeof raw?.title === "string") title = raw.title;
    } catch {
      // malformed: the test loads it again and fails with the full message
    }
    entries.push({ file, id, testName: title ? `${id} ${title}` : `${id} (${name})` });
  }
  return entries.map((e) => {
    const others = entries.filter((o) => o.id === e.id && o !== e).map((o) => o.file);
    return others.length > 0 ? { ...e, sameId: others } : e;
  });
}
