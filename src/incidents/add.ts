import { basename, relative, sep } from "node:path";
import { stringify } from "yaml";
import { deriveActions } from "../conventions/index.js";
import { InputError } from "../errors.js";
import { readRuns } from "../ingest/index.js";
import { serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import { parseDuration } from "../model/duration.js";
import { type Severity, SeveritySchema } from "../model/gap.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { Run } from "../model/run.js";
import { defaultFacts } from "./default-facts.js";
import { parseFactRef } from "./fact-ref.js";
import { pickRun, rootRecord } from "./pick-run.js";
import { deriveScenario } from "./scenario.js";
import {
  type Incident,
  IncidentSchema,
  type IncidentSource,
  IncidentSourceSchema,
  type Scenario,
} from "./schema.js";
import { Scrubber, type ScrubOptions, type ScrubReport, scrubRecords, scrubScenario } from "./scrub.js";
import { slugify, type WriteHooks, type WrittenIncident, writeIncident } from "./write.js";

export interface AddIncidentOptions {
  /** A trace file in any format trailcheck ingests; with `run`, where the run was read from. */
  readonly file: string;
  /** The run, already read (from a production store by `trailcheck audit`'s readers). */
  readonly run?: Run;
  readonly traceId?: string;
  readonly title?: string;
  readonly summary?: string;
  readonly source?: string;
  readonly severity?: string;
  /** YYYY-MM-DD; the caller supplies today's date (the core reads no clock). */
  readonly reported: string;
  /** `kind:name.fact`; default: see `defaultFacts`. */
  readonly facts?: readonly string[];
  /** When the audit happens after the run (the project decides the default: `project/judging.ts`). */
  readonly auditAfter: string;
  /** The incidents folder. */
  readonly dir: string;
  /** The JSON Schema file, referenced from the YAML by a relative path. */
  readonly schemaFile: string;
  /** The project's profile: decides the default facts. */
  readonly profile: Profile;
  /** False writes the recording verbatim (`--no-scrub`). */
  readonly scrub: boolean;
  readonly scrubPatterns?: ScrubOptions["patterns"];
  readonly scrubKeys?: readonly string[];
  readonly hooks?: WriteHooks;
  /** The replay scenario, when the caller knows it better than the recording shows (a scripted one). */
  readonly scenario?: Scenario;
  /** `replay.agent`: the command of the agent the run was recorded from. */
  readonly replayAgent?: string;
}

export interface AddedIncident extends WrittenIncident {
  readonly incident: Incident;
  readonly traceId: string;
  readonly spans: number;
  /** What was scrubbed; undefined with `scrub: false`. */
  readonly scrubbed?: ScrubReport;
}

function bad(flag: string, message: string): InputError {
  return new InputError("bad-option", `${flag}: ${message}`);
}

/** Checks every option before any file is read, so bad input writes nothing. */
function validate(options: AddIncidentOptions): { source: IncidentSource; severity: Severity } {
  const source = IncidentSourceSchema.safeParse(options.source ?? "incident-investigation");
  if (!source.success) {
    throw bad("--source", `'${options.source}' is not one of ${IncidentSourceSchema.options.join(", ")}`);
  }
  const severity = SeveritySchema.safeParse(options.severity ?? "medium");
  if (!severity.success) {
    throw bad("--severity", `'${options.severity}' is not one of ${SeveritySchema.options.join(", ")}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.reported) || Number.isNaN(Date.parse(options.reported))) {
    throw bad("--reported", `'${options.reported}' is not a date YYYY-MM-DD`);
  }
  for (const fact of options.facts ?? []) {
    const ref = parseFactRef(fact);
    if ("error" in ref) throw bad("--fact", ref.error);
  }
  if (parseDuration(options.auditAfter) === undefined) {
    throw bad("--audit-after", `'${options.auditAfter}' is not a duration such as 7d, 30d, 3mo, 1y or 12h`);
  }
  if (options.title !== undefined && options.title.trim() === "") throw bad("--title", "must not be empty");
  return { source: source.data, severity: severity.data };
}

/** The canonical run as stored: no local file paths, no stream (it has not passed a pipeline). */
function normalise(records: readonly SpanRecord[]): SpanRecord[] {
  return records.map(({ source: _source, stream: _stream, ...rest }) => rest);
}

function checkFactsExist(facts: readonly string[], records: readonly SpanRecord[]): void {
  const actions = deriveActions(records);
  const names = new Set(actions.map((a) => `${a.kind}:${a.name}`));
  for (const fact of facts) {
    const ref = parseFactRef(fact);
    if ("error" in ref || names.has(`${ref.kind}:${ref.name}`)) continue;
    throw bad(
      "--fact",
      `the run has no ${ref.kind} action named '${ref.name}'; its actions: ${[...names].join(", ")}`,
    );
  }
}

async function readRun(options: AddIncidentOptions): Promise<Run> {
  let runs = await readRuns(options.file, options.traceId ? { traceId: options.traceId } : {});
  const traceId = options.traceId?.replace(/^trace_/, "").toLowerCase();
  // Not found: read the whole file, so the error can list the traces it does hold.
  if (traceId !== undefined && runs.length === 0) runs = await readRuns(options.file);
  return pickRun(runs, options.file, traceId);
}

function yamlText(incident: Incident): string {
  const modeline = incident.$schema ? `# yaml-language-server: $schema=${incident.$schema}\n` : "";
  return `${modeline}${stringify(incident, { lineWidth: 0 })}`;
}

/**
 * Turns one recorded run into an incident: picks the trace, normalises it, derives the
 * replay scenario, scrubs it, allocates the next id and writes both files. Nothing is written when the
 * input is bad.
 */
export async function addIncident(options: AddIncidentOptions): Promise<AddedIncident> {
  const { source, severity } = validate(options);
  const run = options.run ?? (await readRun(options));
  const truth = normalise(run.records);
  const actions = deriveActions(truth);
  if (options.facts?.length) checkFactsExist(options.facts, truth);
  const facts = options.facts?.length ? [...new Set(options.facts)] : defaultFacts(actions, options.profile);
  const { auditAfter } = options;
  const root = rootRecord(truth);
  let title =
    options.title ?? `Recorded run of ${root?.name ?? "an agent"} (trace ${run.traceId.slice(0, 8)})`;
  let summary =
    options.summary ??
    `Recorded run ${run.traceId} (${truth.length} spans) from ${basename(options.file)}. ` +
      "The facts under expect must survive the logging config at the audit time.";
  let records = truth;
  let scenario: Scenario | undefined = options.scenario ?? deriveScenario(actions);
  let expectFacts = facts;
  let scrubbed: ScrubReport | undefined;

  if (options.scrub) {
    // Trace and span ids are structure, not data; keep them even if one is all digits.
    const keep = truth.flatMap((r) => [r.traceId, r.spanId, ...(r.parentSpanId ? [r.parentSpanId] : [])]);
    const scrubber = new Scrubber({ patterns: options.scrubPatterns, keys: options.scrubKeys, keep });
    records = scrubRecords(truth, scrubber);
    if (scenario) scenario = scrubScenario(scenario, scrubber);
    title = scrubber.text(title, "title");
    summary = scrubber.text(summary, "summary");
    expectFacts = facts.map((f, i) => scrubber.text(f, `expect.facts[${i}]`));
    scrubbed = scrubber.report();
  }

  const schema = relative(options.dir, options.schemaFile).split(sep).join("/");
  let incident: Incident | undefined;
  const written = await writeIncident(
    options.dir,
    slugify(title),
    (id, runName) => {
      incident = IncidentSchema.parse({
        $schema: schema,
        id,
        title,
        reported: options.reported,
        source,
        severity,
        summary,
        run: runName,
        expect: { facts: expectFacts, auditAfter },
        ...(scenario ? { scenario } : {}),
        ...(options.replayAgent ? { replay: { agent: options.replayAgent } } : {}),
      });
      return { yaml: yamlText(incident), run: serializeRecordsJsonl(records) };
    },
    options.hooks,
  );
  return { ...written, incident: incident!, traceId: run.traceId, spans: records.length, scrubbed };
}
