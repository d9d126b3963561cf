import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadedLogging } from "../config/source.js";
import { type AddedIncident, addIncident } from "../incidents/add.js";
import { INCIDENT_SCHEMA_PATH } from "../incidents/json-schema.js";
import { recordsFromTrailcheckJsonl, serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import type { Profile } from "../model/profile.js";
import type { AuditTime } from "../project/judging.js";
import type { Project } from "../project/project.js";
import { checkRecords } from "../reconstruct/check.js";
import type { PropertiesResult } from "../synth/properties.js";

const SCHEMA_FILE = join(import.meta.dirname, "..", "..", INCIDENT_SCHEMA_PATH);
const MAX_FACTS = 12;

export interface SaveOptions {
  /** The project: where incidents live and what to scrub. */
  readonly project: Project;
  /** The config the counterexample broke (to tell whether the scrubbed run still breaks it; its label names it). */
  readonly logging: LoadedLogging;
  readonly profile: Profile;
  readonly audit: AuditTime;
  /** YYYY-MM-DD; default today. */
  readonly reported?: string;
}

/**
 * Saves a counterexample as an incident (`source: counterexample`) with the incident writer, so it is a
 * permanent test from then on: the run goes through a temporary trailcheck JSONL file, is scrubbed like
 * any recorded run, and the facts it lost become the incident's expectations.
 */
export interface SavedCounterexample {
  readonly incident: AddedIncident;
  /** Gaps the scrubbed run as saved still shows, of `gaps`: fewer when the config reads values that scrubbing replaced. */
  readonly gapsKept: number;
  readonly gaps: number;
}

export async function saveCounterexample(
  result: PropertiesResult,
  options: SaveOptions,
): Promise<SavedCounterexample | undefined> {
  const c = result.counterexample;
  if (!c || c.gaps.length === 0) return undefined;
  const { project } = options;
  const facts = [...new Set(c.gaps.map((g) => `${g.action.kind}:${g.action.name}.${g.fact}`))].slice(
    0,
    MAX_FACTS,
  );
  const causes = [...new Set(c.gaps.map((g) => g.cause))].join(", ");
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-fuzz-"));
  try {
    const file = join(dir, "counterexample.jsonl");
    await writeFile(file, serializeRecordsJsonl(c.run.records));
    const incident = await addIncident({
      file,
      title: `Counterexample: ${c.violations[0]?.title ?? "gap"} (${causes}) under ${options.logging.label}`,
      summary:
        `A synthetic ${c.run.convention} run of ${c.run.records.length} spans, shrunk by trailcheck fuzz, ` +
        `that ${options.logging.label} cannot reconstruct: ${c.violations.map((v) => v.title).join("; ")}. ` +
        `Seed ${result.seed}, path ${result.path ?? "-"}. Replay: ${result.replay ?? "-"}`,
      source: "counterexample",
      severity: c.gaps.some((g) => g.severity === "critical") ? "high" : "medium",
      reported: options.reported ?? new Date().toISOString().slice(0, 10),
      facts,
      auditAfter: options.audit.text,
      dir: project.incidentsDir,
      schemaFile: SCHEMA_FILE,
      profile: options.profile,
      scrub: true,
      scrubPatterns: project.scrub.patterns,
      scrubKeys: project.scrub.keys,
    });
    // Scrubbing replaces card numbers, keys and addresses: a redaction pattern or a length limit that
    // fired on the original may not fire on the tokens.
    const saved = recordsFromTrailcheckJsonl(await readFile(incident.runPath, "utf8"));
    const after = checkRecords(saved, options.logging.config, options.profile, {
      auditAfterNs: options.audit.ns,
    });
    return { incident, gapsKept: after.verdicts.reduce((n, v) => n + v.gaps.length, 0), gaps: c.gaps.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
