import { isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { openStore } from "../audit/open-store.js";
import { type AuditStore, groupsRuns } from "../audit/store.js";
import { readStoredRun } from "../audit/stored-run.js";
import { resolveWindow } from "../audit/window.js";
import { ExitCode, InputError } from "../errors.js";
import { addIncident } from "../incidents/add.js";
import { INCIDENT_SCHEMA_PATH } from "../incidents/json-schema.js";
import { listIncidents, listingJson, listingText } from "../incidents/list.js";
import { discoverIncidents, incidentEntry, loadIncident } from "../incidents/load.js";
import { formatScrubReport } from "../incidents/scrub.js";
import { formatTimeline } from "../incidents/timeline.js";
import type { WriteHooks } from "../incidents/write.js";
import type { Profile } from "../model/profile.js";
import { auditTime, loadProjectLogging, type ProfileChoice, projectProfile } from "../project/judging.js";
import { type Project, resolveProject, shownPath } from "../project/project.js";
import { escapeTerminal } from "../text/escape.js";
import { parseFormat, projectFlags } from "./options.js";

/** Where output goes and what the clock says: the process by default, captured in tests. */
export interface IncidentIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Today as YYYY-MM-DD, the default `--reported`. */
  readonly today: () => string;
  readonly hooks?: WriteHooks;
  /** The clock `--store` runs are judged at (pending or not). */
  readonly clock?: () => Date;
}

const processIo = (): IncidentIo => ({
  cwd: process.cwd(),
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  today: () => new Date().toISOString().slice(0, 10),
});

const SCHEMA_FILE = join(import.meta.dirname, "..", "..", INCIDENT_SCHEMA_PATH);

export interface AddFlags {
  config?: string;
  /** Take the run from production stores, as `trailcheck audit` reads them. */
  store?: string[];
  traceId?: string;
  title?: string;
  summary?: string;
  source?: string;
  severity?: string;
  reported?: string;
  fact?: string[];
  auditAfter?: string;
  dir?: string;
  scrub?: boolean;
  /** `replay.agent`: the command the run was recorded from; `true` (no value) takes `agent.command`. */
  agent?: string | true;
}

const shown = shownPath;

interface DirFlags {
  config?: string;
  dir?: string;
}

function openProject(flags: DirFlags & { auditAfter?: string }, io: IncidentIo): Promise<Project> {
  return resolveProject({ flags: projectFlags(flags), cwd: io.cwd });
}

/** The project's profile for an incident: the logging config is read only when its `compliance` decides. */
async function profileFor(
  project: Project,
  incident?: Parameters<typeof projectProfile>[2],
): Promise<ProfileChoice> {
  const needsLogging =
    project.profile === undefined &&
    incident?.incident.expect.profile === undefined &&
    (project.logging.logging !== undefined || project.logging.otelcol !== undefined);
  return projectProfile(project, needsLogging ? await loadProjectLogging(project) : undefined, incident);
}

/** The run from production stores, judged as the audit judges it: its reasons become the incident's facts. */
async function fromStores(specs: readonly string[], flags: AddFlags, io: IncidentIo, profile: Profile) {
  if (!flags.traceId)
    throw new InputError("bad-option", "--store needs --trace-id: the run to take from the store");
  const stores: AuditStore[] = [];
  let stored: Awaited<ReturnType<typeof readStoredRun>>;
  try {
    for (const spec of specs) stores.push(await openStore(spec, io.cwd));
    const window = resolveWindow({}, io.clock ?? (() => new Date()));
    stored = await readStoredRun(stores, flags.traceId, profile, window);
  } finally {
    for (const store of stores) if (groupsRuns(store)) await store.close();
  }
  const agent = runFactsAgent(stored);
  const what = stored.verdict === "reconstructable" ? "" : " could not be reconstructed";
  return {
    run: stored.run,
    file: specs.join(" "),
    title: flags.title ?? `Production run of ${agent}${what} (trace ${stored.run.traceId.slice(0, 8)})`,
    summary:
      flags.summary ??
      `Found by trailcheck audit in ${specs.join(", ")}: ${stored.verdict}.${stored.reasons.map((r) => ` ${r.code} (${r.cause}): ${r.message}.`).join("")}`,
    source: flags.source ?? "production-audit",
    facts: flags.fact?.length ? flags.fact : stored.facts.length > 0 ? [...stored.facts] : undefined,
  };
}

function runFactsAgent(stored: {
  run: { records: readonly { resource: Record<string, unknown> }[] };
}): string {
  const service = stored.run.records
    .map((r) => r.resource["service.name"])
    .find((s) => typeof s === "string");
  return typeof service === "string" ? service : "an agent";
}

/**
 * The agent the recorded run came from, kept as the incident's `replay.agent`: the replays suite replays
 * an incident's scenario only against the agent it names, since its scripted tool calls are that
 * agent's. `--agent` alone means the project's own agent.
 */
function recordedFrom(flag: AddFlags["agent"], project: Project): string | undefined {
  if (flag === undefined) return undefined;
  if (flag === true) {
    if (project.agentCommand) return project.agentCommand;
    throw new InputError(
      "no-agent",
      '--agent without a command takes agent.command of the project config, which has none: give --agent "COMMAND"',
      project.file ? { file: project.file, field: "agent.command" } : {},
    );
  }
  if (flag.trim() === "")
    throw new InputError("bad-option", '--agent: give the agent\'s command, such as "node agent.js"');
  return flag;
}

export async function runIncidentAdd(
  file: string | undefined,
  flags: AddFlags,
  io: IncidentIo = processIo(),
): Promise<number> {
  const stores = flags.store ?? [];
  if ((file === undefined) === (stores.length === 0)) {
    throw new InputError("bad-option", "give a trace file or --store SPEC (with --trace-id), not both");
  }
  const project = await openProject(flags, io);
  const replayAgent = recordedFrom(flags.agent, project);
  const dir = project.incidentsDir;
  const { profile } = await profileFor(project);
  const audit = auditTime(project, profile);
  const scrub = flags.scrub !== false;
  const stored = stores.length > 0 ? await fromStores(stores, flags, io, profile) : undefined;
  const added = await addIncident({
    // Relative to the process, so messages show the path as typed.
    file:
      stored?.file ?? (isAbsolute(file!) ? file! : relative(process.cwd(), resolve(io.cwd, file!)) || file!),
    ...(stored ? { run: stored.run } : {}),
    traceId: flags.traceId,
    title: stored?.title ?? flags.title,
    summary: stored?.summary ?? flags.summary,
    source: stored?.source ?? flags.source,
    severity: flags.severity,
    reported: flags.reported ?? io.today(),
    facts: stored ? stored.facts : flags.fact,
    auditAfter: audit.text,
    dir,
    schemaFile: SCHEMA_FILE,
    profile,
    scrub,
    scrubPatterns: project.scrub.patterns,
    scrubKeys: project.scrub.keys,
    hooks: io.hooks,
    ...(replayAgent !== undefined ? { replayAgent } : {}),
  });
  const lines: string[] = [];
  if (!added.scrubbed) {
    io.err(
      "trailcheck: WARNING: --no-scrub: nothing was scrubbed. The incident holds the recording verbatim; any personal data, keys and tokens in it go into the repository with it.\n",
    );
    lines.push("NOT SCRUBBED (--no-scrub): review both files before committing them");
  } else if (added.scrubbed.findings.length === 0) {
    lines.push("scrubbed nothing: no personal data or secrets found");
  } else {
    const { values, occurrences, findings } = added.scrubbed;
    lines.push(
      `scrubbed ${values} value${values === 1 ? "" : "s"} (${occurrences} occurrence${occurrences === 1 ? "" : "s"}) in ${findings.length} field${findings.length === 1 ? "" : "s"}:`,
    );
    for (const line of formatScrubReport(added.scrubbed)) lines.push(`  ${escapeTerminal(line)}`);
  }
  const { incident } = added;
  lines.push(
    `added ${incident.id} "${escapeTerminal(incident.title)}": trace ${added.traceId}, ${added.spans} spans, ${incident.expect.facts.length} fact${incident.expect.facts.length === 1 ? "" : "s"}, audit ${incident.expect.auditAfter} after the run`,
  );
  for (const fact of incident.expect.facts) lines.push(`  ${escapeTerminal(fact)}`);
  if (replayAgent !== undefined) lines.push(`replayed against ${escapeTerminal(replayAgent)} (replay.agent)`);
  lines.push(`run its test: npx vitest run suites/incidents.test.ts -t ${incident.id}`);
  lines.push(shown(added.yamlPath, io.cwd));
  io.out(`${lines.join("\n")}\n`);
  return ExitCode.ok;
}

export async function runIncidentList(
  flags: DirFlags & { format?: string },
  io: IncidentIo = processIo(),
): Promise<number> {
  const format = parseFormat(flags.format);
  const dir = (await openProject(flags, io)).incidentsDir;
  const listing = await listIncidents(dir);
  if (format === "json") {
    io.out(`${JSON.stringify(listingJson(listing, dir, io.cwd), null, 2)}\n`);
  } else io.out(listingText(listing, dir, io.cwd));
  return listing.invalid.length > 0 ? ExitCode.badInput : ExitCode.ok;
}

export async function runIncidentShow(
  id: string,
  flags: DirFlags,
  io: IncidentIo = processIo(),
): Promise<number> {
  const project = await openProject(flags, io);
  const dir = project.incidentsDir;
  const wanted = /^\d{1,4}$/.test(id) ? `INC-${id.padStart(4, "0")}` : id.toUpperCase();
  const entries = await discoverIncidents(dir);
  const entry = incidentEntry(entries, wanted);
  if (!entry) {
    throw new InputError(
      "unknown-incident",
      `no incident ${escapeTerminal(id)} in ${shown(dir, io.cwd)}/${entries.length ? `; there are ${entries.map((e) => e.id).join(", ")}` : ""}`,
    );
  }
  const loaded = await loadIncident(entry.file);
  const { profile } = await profileFor(project, loaded);
  io.out(formatTimeline(loaded, profile));
  return ExitCode.ok;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const incident = program
    .command("incident")
    .description("Turn incidents into permanent test cases: add a recorded run, list them, show one.");
  incident
    .command("add")
    .description("Turn a recorded run into an incident: a scrubbed, permanent test case in incidents/.")
    .argument(
      "[file]",
      "recorded trace: OTLP JSON or protobuf (.pb, .binpb), collector file export (JSON lines, format: proto, zstd), OpenAI Agents SDK export, trailcheck JSONL",
    )
    .option(
      "--store <spec>",
      "take the run from production stores instead, as trailcheck audit reads them (repeatable; needs --trace-id)",
      collect,
    )
    .option("--trace-id <id>", "the run to take, when the file holds several")
    .option("--title <text>", "one line: what could not be reconstructed")
    .option("--summary <text>", "what happened and what was missing")
    .option(
      "--source <source>",
      "customer-complaint | audit-finding | incident-investigation | counterexample | production-audit",
    )
    .option("--severity <severity>", "low | medium | high | critical")
    .option("--reported <date>", "YYYY-MM-DD (default: today)")
    .option(
      "--fact <kind:name.fact>",
      "a fact the incident is about, e.g. tool:refund_payment.arguments (repeatable)",
      collect,
    )
    .option(
      "--audit-after <duration>",
      "when the question came in after the run (default: the profile's minimum retention)",
    )
    .option(
      "--agent [command]",
      "the agent the run was recorded from, so the replays suite replays it against that agent (replay.agent; alone: agent.command)",
    )
    .option("--dir <dir>", "incidents folder (default: the config's incidents, else incidents/)")
    .option("--no-scrub", "write the recording verbatim, personal data and secrets included")
    .option("--config <file>", "project config (default: $TRAILCHECK_CONFIG, else trailcheck.config.yaml)")
    .action(async (file: string | undefined, flags: AddFlags) => {
      process.exitCode = await runIncidentAdd(file, flags);
    });
  incident
    .command("list")
    .description("List the incidents and check that each file loads.")
    .option("--dir <dir>", "incidents folder (default: the config's incidents, else incidents/)")
    .option("--format <format>", "text or json", "text")
    .option("--config <file>", "project config (default: $TRAILCHECK_CONFIG, else trailcheck.config.yaml)")
    .action(async (flags: DirFlags & { format?: string }) => {
      process.exitCode = await runIncidentList(flags);
    });
  incident
    .command("show")
    .description("Show an incident's recorded run as a timeline: actions, their facts, what is missing.")
    .argument("<id>", "INC-0001 (or 1)")
    .option("--dir <dir>", "incidents folder (default: the config's incidents, else incidents/)")
    .option("--config <file>", "project config (default: $TRAILCHECK_CONFIG, else trailcheck.config.yaml)")
    .action(async (id: string, flags: DirFlags) => {
      process.exitCode = await runIncidentShow(id, flags);
    });
}
