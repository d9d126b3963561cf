import { relative, resolve } from "node:path";
import { type Command, Option } from "commander";
import { formatProbability } from "../analyze/analyze.js";
import { ExitCode, InputError } from "../errors.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { checkAgentProperties } from "../fuzz/against-agent.js";
import { agentPropertiesJson, formatAgentProperties } from "../fuzz/against-agent-format.js";
import { projectScenarioArb } from "../fuzz/project-scenarios.js";
import { formatPropertiesFailure } from "../fuzz/properties-failure.js";
import { saveCounterexample } from "../fuzz/save-counterexample.js";
import { DEFAULTS, LIMITS } from "../project/defaults.js";
import { wholeNumber } from "../project/environment.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import { type Project, replayFlags, requireAgentCommand, resolveProject } from "../project/project.js";
import { scenarioYaml } from "../replay/scenario-yaml.js";
import { isSynthConvention, SYNTH_CONVENTIONS, type SynthConvention } from "../synth/options.js";
import type { ProbabilityComparison } from "../synth/probabilities.js";
import { checkProperties, type PropertiesResult } from "../synth/properties.js";
import { escapeTerminal } from "../text/escape.js";
import { addLoggingOptions, parseFormat, printJson, projectFlags, type SettingsFlags } from "./options.js";

interface FuzzFlags extends SettingsFlags {
  path?: string;
  convention?: string;
  saveCounterexample?: boolean;
  format?: string;
  /** `--agent` alone: `agent.command`; `--agent CMD`: that command. */
  agent?: string | boolean;
  concurrency?: string;
  only?: string;
  saveScenario?: string;
}

function convention(value: string | undefined): SynthConvention | undefined {
  if (value === undefined) return undefined;
  if (isSynthConvention(value)) return value;
  throw new InputError(
    "bad-option",
    `--convention must be one of ${SYNTH_CONVENTIONS.join(", ")}, not '${value}'`,
  );
}

/** The flags that name the config, as typed, so the replay command reads the same config. */
function sourceFlags(flags: FuzzFlags, project: Project): string[] {
  const out: string[] = replayFlags(project);
  if (flags.logging) out.push("--logging", flags.logging);
  for (const f of flags.otelcol ?? []) out.push("--otelcol", f);
  if (flags.storage) out.push("--storage", flags.storage);
  if (flags.profile) out.push("--profile", flags.profile);
  if (flags.auditAfter) out.push("--audit-after", flags.auditAfter);
  return out;
}

const cell = (p: ProbabilityComparison | undefined) =>
  p
    ? `${formatProbability(p.exact)} / ${p.observed === null ? "–" : formatProbability(p.observed)} (n=${p.runs})`
    : "–";

/** Exact beside observed, one line per stream and kind; streams that keep everything in one line. */
function probabilityLines(rows: readonly ProbabilityComparison[]): string[] {
  const interesting = rows.filter((r) => r.exact < 1 || (r.observed !== null && r.observed < 1));
  if (rows.length === 0) return [];
  if (interesting.length === 0)
    return ["keep probabilities: every stream keeps every kind it receives (exact 1, observed 1)"];
  const lines = ["keep probabilities, exact / observed (plain run · failed run · run with a policy denial):"];
  const keys = [...new Set(rows.map((r) => `${r.stream}\u0000${r.kind}`))];
  for (const key of keys) {
    const [stream, kind] = key.split("\u0000") as [string, string];
    const of = (cls: string) => rows.find((r) => r.stream === stream && r.kind === kind && r.class === cls);
    lines.push(
      escapeTerminal(
        `  ${stream.padEnd(14)} ${kind.padEnd(8)} ${cell(of("plain"))} · ${cell(of("failed"))} · ${cell(of("denied"))}`,
      ),
    );
  }
  return lines;
}

/** The filters no generated run set off: the pass says nothing of what they drop. */
function unexercisedLines(result: PropertiesResult): string[] {
  return result.unexercised.map((stage) =>
    escapeTerminal(
      `not exercised: ${stage} dropped nothing in ${result.runs} generated run(s): its conditions match ` +
        "nothing fuzz generates (a resource attribute, service or span name of your own runs?), so this " +
        "pass says nothing of what it drops; check it with `trailcheck check --trace` on recorded runs",
    ),
  );
}

function jsonReport(result: PropertiesResult) {
  const c = result.counterexample;
  return {
    version: 1,
    runs: result.numRuns,
    seed: result.seed,
    counterexample: c
      ? {
          traceId: c.run.traceId,
          convention: c.run.convention,
          properties: c.violations.map((v) => v.property),
          gaps: c.gaps,
          replay: result.replay ?? null,
          path: result.path ?? null,
          records: c.run.records,
          ...(result.error ? { error: result.error } : {}),
        }
      : null,
    unexercised: result.failed ? [] : result.unexercised,
    probabilities: result.probabilities.map((p) => ({
      stream: p.stream,
      kind: p.kind,
      class: p.class,
      exact: p.exact,
      observed: p.observed,
      runs: p.runs,
    })),
  };
}

/** `fuzz --agent`: synthetic scenarios replayed against the agent, judged with the project's config and profile. */
async function runAgentFuzz(flags: FuzzFlags, cwd: string): Promise<number> {
  const format = parseFormat(flags.format);
  const synthOnly = {
    "--convention": flags.convention,
    "--path": flags.path,
    "--save-counterexample": flags.saveCounterexample,
  };
  for (const [flag, value] of Object.entries(synthOnly)) {
    if (value !== undefined && value !== false)
      throw new InputError(
        "bad-option",
        `${flag} does not apply to --agent (synthetic scenarios are replayed, not shrunk)`,
      );
  }
  // Scenarios replayed, not property runs: `--runs` has its own bounds and default here.
  const runs =
    flags.runs !== undefined ? wholeNumber(flags.runs, "--runs", LIMITS.agentRuns) : DEFAULTS.agentRuns;
  const project = await resolveProject({
    flags: {
      ...projectFlags({ ...flags, runs: undefined }),
      ...(typeof flags.agent === "string" ? { agent: flags.agent } : {}),
    },
    cwd,
  });
  const command = requireAgentCommand(project);
  const seed = project.seed;
  const concurrency =
    flags.concurrency !== undefined
      ? wholeNumber(flags.concurrency, "--concurrency", { min: 1, max: 64 })
      : 1;
  const only =
    flags.only !== undefined ? wholeNumber(flags.only, "--only", { min: 0, max: runs - 1 }) : undefined;
  const timeout = project.agentTimeoutMs;
  const logging = await loadProjectLogging(project);
  const { profile, from } = await projectProfile(project, logging);
  const audit = auditTime(project, profile);

  const result = await checkAgentProperties({
    command,
    cwd: project.root,
    timeoutMs: timeout,
    runs,
    seed,
    concurrency,
    ...(only !== undefined ? { only } : {}),
    judge: { config: logging.config, profile, auditAfterNs: audit.ns },
    scenarios: await projectScenarioArb(project.scenariosDir),
    source: [
      "--agent",
      ...(typeof flags.agent === "string" ? [flags.agent] : []),
      ...sourceFlags(flags, project),
      ...(flags.timeout ? ["--timeout", flags.timeout] : []),
    ],
  });

  let saved: string | undefined;
  const c = result.counterexample;
  if (c && flags.saveScenario) {
    const file = resolve(cwd, flags.saveScenario);
    const note = `Synthetic scenario ${c.index} of seed ${result.seed}, found by trailcheck fuzz --agent.\nReplay: ${c.replay}`;
    await writeFileAtomic(file, scenarioYaml(c.scenario, note));
    const rel = relative(cwd, file);
    saved = rel && !rel.startsWith("..") ? rel : file;
  }

  if (format === "json") {
    printJson({ ...agentPropertiesJson(result), ...(saved ? { saved } : {}) });
  } else {
    const header = [
      "trailcheck fuzz --agent",
      escapeTerminal(`agent ${command}`),
      escapeTerminal(
        `logging ${logging.label} · profile ${profile.name} (${from}) · audit ${audit.text} after each run`,
      ),
      `${runs} scenario(s)${only !== undefined ? ` (replaying only ${only})` : ""} · seed ${seed}${flags.seed === undefined ? ` (${project.from.seed})` : ""} · concurrency ${concurrency} · timeout ${timeout} ms`,
      ...logging.unknown.map((u) =>
        escapeTerminal(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
      ),
    ];
    const tail = saved ? [`scenario saved to ${saved}: npx trailcheck replay ${saved}`] : [];
    process.stdout.write(
      formatAgentProperties(result, header) + tail.map((l) => `${escapeTerminal(l)}\n`).join(""),
    );
  }
  if (c) return ExitCode.gaps;
  return result.agentFailures.length > 0 ? ExitCode.agentFailed : ExitCode.ok;
}

export async function runFuzz(flags: FuzzFlags, cwd: string = process.cwd()): Promise<number> {
  if (flags.agent !== undefined && flags.agent !== false) return runAgentFuzz(flags, cwd);
  const format = parseFormat(flags.format);
  const conv = convention(flags.convention);
  if (flags.path !== undefined && !/^\d+(:\d+)*$/.test(flags.path)) {
    throw new InputError(
      "bad-option",
      `--path must be a counterexample path such as 12:0:3, not '${flags.path}'`,
    );
  }
  const project = await resolveProject({ flags: projectFlags(flags), cwd });
  const { numRuns, seed } = project;
  const logging = await loadProjectLogging(project);
  const { profile, from } = await projectProfile(project, logging);
  const audit = auditTime(project, profile);

  const result = checkProperties(logging.config, profile, {
    numRuns,
    seed,
    auditAfterNs: audit.ns,
    source: sourceFlags(flags, project),
    ...(conv ? { convention: conv } : {}),
    ...(flags.path !== undefined ? { path: flags.path } : {}),
  });

  let saved: string | undefined;
  if (flags.saveCounterexample && result.failed) {
    const added = await saveCounterexample(result, { project, logging, profile, audit });
    if (added) {
      const { incident } = added;
      saved = `saved as ${incident.id}: ${relative(cwd, incident.yamlPath) || incident.yamlPath} (source: counterexample, scrubbed)`;
      if (added.gapsKept < added.gaps) {
        saved += `\nwarning: the scrubbed run shows ${added.gapsKept} of the ${added.gaps} gap(s): the config reads values that scrubbing replaced (redaction patterns, length limits)`;
      }
    }
  }

  if (format === "json") {
    printJson({ ...jsonReport(result), ...(saved ? { saved } : {}) });
  } else {
    const lines = [
      `trailcheck fuzz`,
      escapeTerminal(
        `logging ${logging.label} · profile ${profile.name} (${from}) · audit ${audit.text} after each run`,
      ),
      `${numRuns} run(s) · seed ${seed}${flags.seed === undefined ? ` (${project.from.seed})` : ""} · convention ${conv ?? "any"}${flags.path ? ` · replaying path ${flags.path}` : ""}`,
      ...logging.unknown.map((u) =>
        escapeTerminal(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
      ),
      "",
      result.failed
        ? formatPropertiesFailure(result)
        : `no counterexample: every property held over ${result.runs} run(s)`,
      ...(result.failed ? [] : unexercisedLines(result)),
      "",
      ...probabilityLines(result.probabilities),
      ...(saved ? ["", saved] : []),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return result.failed ? ExitCode.gaps : ExitCode.ok;
}

export function register(program: Command): void {
  const command = program
    .command("fuzz")
    .description(
      "Generate agent runs in every trace convention, push them through a logging config and shrink any run it can't reconstruct to a minimal counterexample.",
    )
    .option(
      "--audit-after <duration>",
      "when the audit happens after each run (default: the profile's minimum retention)",
    )
    .option(
      "--runs <n>",
      `runs to generate (default: $TRAILCHECK_NUM_RUNS, else properties.numRuns of trailcheck.config.yaml, else ${DEFAULTS.numRuns}; with --agent: ${DEFAULTS.agentRuns})`,
    )
    .option(
      "--seed <n>",
      "random seed (default: $TRAILCHECK_SEED, else properties.seed of trailcheck.config.yaml, else today's date)",
    )
    .option("--convention <name>", `write every run in one convention: ${SYNTH_CONVENTIONS.join(", ")}`)
    .option(
      "--save-counterexample",
      "save the minimal counterexample as an incident (source: counterexample)",
    )
    .option(
      "--agent [command]",
      "replay synthetic scenarios (tool calls, API errors, policy-violating requests) against the agent (default command: agent.command)",
    )
    .option("--concurrency <n>", "with --agent: replays at once (default 1)")
    .option(
      "--timeout <duration>",
      `with --agent: how long one agent run may take (default: agent.timeout, else ${DEFAULTS.agentTimeoutMs / 1000}s)`,
    )
    .option(
      "--save-scenario <file>",
      "with --agent: write the failing scenario as YAML for trailcheck replay",
    )
    .option("--format <format>", "text or json", "text")
    .addOption(new Option("--path <path>", "replay one counterexample (from a replay command)").hideHelp())
    .addOption(
      new Option("--only <index>", "with --agent: replay one scenario (from a replay command)").hideHelp(),
    );
  addLoggingOptions(command).action(async (flags: FuzzFlags) => {
    process.exitCode = await runFuzz(flags);
  });
}
