import type { Command } from "commander";
import { loadProject, projectLogging } from "../config/project.js";
import { loadLoggingSource } from "../config/source.js";
import { ExitCode, InputError } from "../errors.js";
import { incidentProfile } from "../incidents/check.js";
import { resolveProfile } from "../profiles/resolve.js";
import { replayAndJudge } from "../replay/judged-replay.js";
import { loadReplayTarget } from "../replay/target.js";
import { formatVerdicts, safeText } from "../report/terminal.js";
import { addLoggingOptions, auditAfter, parseFormat, printJson, timeoutMs } from "./options.js";

interface ReplayFlags {
  agent?: string;
  logging?: string;
  otelcol?: string[];
  storage?: string;
  profile?: string;
  auditAfter?: string;
  timeout?: string;
  format?: string;
}

/** The profile: --profile, else the incident's own, else the project's, else the logging config's. */
async function replayProfile(
  flags: ReplayFlags,
  project: Awaited<ReturnType<typeof loadProject>>,
  logging: Awaited<ReturnType<typeof loadLoggingSource>>,
  target: Awaited<ReturnType<typeof loadReplayTarget>>,
) {
  if (!flags.profile && target.kind === "incident" && target.incident.incident.expect.profile) {
    return incidentProfile(target.incident, {});
  }
  return resolveProfile(
    flags.profile ?? project.profile ?? logging.config.compliance,
    (flags.profile ?? project.profile) ? undefined : logging.label,
  );
}

export async function runReplayVerb(targetArg: string, flags: ReplayFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const project = await loadProject();
  const command = flags.agent ?? project.agent?.command;
  if (!command) {
    throw new InputError(
      "no-agent",
      'no agent to replay against: pass --agent "COMMAND" or set agent.command in trailcheck.config.yaml',
    );
  }
  const viaFlags = Boolean(flags.logging || flags.otelcol?.length);
  const logging = await loadLoggingSource(viaFlags ? flags : projectLogging(project));
  const target = await loadReplayTarget(targetArg, project.incidentsDir);
  const incident = target.kind === "incident" ? target.incident.incident : undefined;
  const profile = await replayProfile(flags, project, logging, target);
  const audit = auditAfter(flags.auditAfter ?? incident?.expect.auditAfter, profile);
  const timeout = timeoutMs(flags.timeout ?? project.agent?.timeout);
  if (incident?.replay?.agent && incident.replay.agent.trim() !== command.trim()) {
    process.stderr.write(
      safeText(
        `note: ${incident.id} was recorded from '${incident.replay.agent}'; replaying against '${command}'`,
      ) + "\n",
    );
  }

  const judged = await replayAndJudge(
    {
      scenario: target.scenario,
      command,
      // The agent command is written relative to the project, like an npm script.
      cwd: project.root,
      timeoutMs: timeout,
    },
    {
      config: logging.config,
      profile,
      auditAfterNs: audit.ns,
      ...(incident ? { facts: incident.expect.facts } : {}),
    },
  );
  const result = judged.replay;
  const agent = {
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    ...(result.failure ? { failure: result.failure } : {}),
  };
  const exchange = {
    modelCalls: result.exchange.modelCalls,
    toolCallsRequested: result.exchange.toolCallsRequested,
  };
  const unknown = [...logging.unknown, ...judged.unknown];
  const facts = judged.facts.map((f) => ({
    ref: f.ref,
    kept: f.kept,
    ...(f.detail ? { detail: f.detail } : {}),
  }));

  if (format === "json") {
    printJson({
      version: 1,
      profile: profile.name,
      auditAfter: audit.text,
      runs: judged.verdicts,
      unknown,
      agent,
      exchange,
      // The incident's facts, decided on the replay; a lost one is also a gap in `runs`.
      ...(incident ? { incident: { id: incident.id, title: incident.title, facts } } : {}),
    });
  } else {
    const header = [
      `trailcheck replay ${targetArg}`,
      ...(incident ? [`incident ${incident.id} ${incident.title}`] : []),
      `agent ${command}`,
      `logging ${logging.label} · profile ${profile.name} · audit ${audit.text} after each run`,
      `agent exited ${result.exitCode ?? result.signal} after ${result.durationMs} ms · ` +
        `${exchange.modelCalls} model call(s), ${exchange.toolCallsRequested.length} tool call(s) requested, ` +
        `${result.records.length} span(s) received`,
    ];
    if (result.failure) {
      const lines = [...header, "", `agent failed (${result.failure.kind}): ${result.failure.message}`];
      if (result.stderr.trim())
        lines.push("", "agent stderr (last lines):", ...result.stderr.trim().split("\n").slice(-20));
      process.stdout.write(`${lines.map(safeText).join("\n")}\n`);
    } else {
      process.stdout.write(
        formatVerdicts(judged.verdicts, [
          ...header,
          ...unknown.map((u) =>
            safeText(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
          ),
          ...facts.map((f) => safeText(`fact ${f.ref}: ${f.kept ? "kept" : "missing"}`)),
        ]),
      );
    }
  }
  if (result.failure) return ExitCode.agentFailed;
  return judged.verdicts.every((v) => v.reconstructable) ? ExitCode.ok : ExitCode.gaps;
}

export function register(program: Command): void {
  const command = program
    .command("replay")
    .description(
      "Run the agent against the scripted model of a scenario or an incident, capture its telemetry, and report what it failed " +
        "to emit and what the logging config loses.",
    )
    .argument(
      "<target>",
      "an incident id (INC-0003) from the incidents folder, an incident file, or a scenario file (YAML or JSON)",
    )
    .option("--agent <command>", "the agent command (default: agent.command in trailcheck.config.yaml)")
    .option(
      "--audit-after <duration>",
      "when the audit happens after the run (default: the incident's auditAfter, else the profile's minimum retention)",
    )
    .option("--timeout <duration>", "how long the agent may run (default: agent.timeout, else 60s)")
    .option("--format <format>", "text or json", "text");
  addLoggingOptions(command).action(async (target: string, flags: ReplayFlags) => {
    process.exitCode = await runReplayVerb(target, flags);
  });
}
