import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { DEFAULTS } from "../project/defaults.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import { requireAgentCommand, resolveProject } from "../project/project.js";
import { replayAndJudge } from "../replay/judged-replay.js";
import { loadReplayTarget } from "../replay/target.js";
import { formatVerdicts } from "../report/terminal.js";
import { escapeTerminal } from "../text/escape.js";
import { addLoggingOptions, parseFormat, printJson, projectFlags, type SettingsFlags } from "./options.js";

interface ReplayFlags extends SettingsFlags {
  agent?: string;
  format?: string;
  ledger?: boolean;
}

export async function runReplayVerb(
  targetArg: string,
  flags: ReplayFlags,
  cwd: string = process.cwd(),
): Promise<number> {
  const format = parseFormat(flags.format);
  const project = await resolveProject({
    flags: { ...projectFlags(flags), ...(flags.agent !== undefined ? { agent: flags.agent } : {}) },
    cwd,
  });
  const command = requireAgentCommand(project);
  const logging = await loadProjectLogging(project);
  const target = await loadReplayTarget(targetArg, project.incidentsDir, cwd);
  const loaded = target.kind === "incident" ? target.incident : undefined;
  const incident = loaded?.incident;
  const { profile, from } = await projectProfile(project, logging, loaded);
  const audit = auditTime(project, profile, loaded);
  const timeout = project.agentTimeoutMs;
  if (incident?.replay?.agent && incident.replay.agent.trim() !== command.trim()) {
    process.stderr.write(
      escapeTerminal(
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
      requireLedger: flags.ledger === true,
    },
  );
  const result = judged.replay;
  const agent = {
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    ...(result.failure ? { failure: result.failure } : {}),
    ...(result.leftover ? { leftover: result.leftover } : {}),
  };
  const exchange = {
    modelCalls: result.exchange.modelCalls,
    toolCallsRequested: result.exchange.toolCallsRequested,
  };
  const ledger = result.ledger
    ? {
        records: result.ledger.records.length,
        valid: result.ledger.valid,
        toolCallsStarted: result.ledger.records.filter((r) => r.type === "tool-call.start").length,
      }
    : undefined;
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
      // The agent's guard ledger (TRAILCHECK_LEDGER_DIR); a call missing from it is a gap in `runs`.
      ...(ledger ? { ledger } : {}),
      // The incident's facts, decided on the replay; a lost one is also a gap in `runs`.
      ...(incident ? { incident: { id: incident.id, title: incident.title, facts } } : {}),
    });
  } else {
    const header = [
      `trailcheck replay ${targetArg}`,
      ...(incident ? [`incident ${incident.id} ${incident.title}`] : []),
      `agent ${command}`,
      `logging ${logging.label} · profile ${profile.name} (${from}) · audit ${audit.text} after each run`,
      `agent exited ${result.exitCode ?? result.signal} after ${result.durationMs} ms · ` +
        `${exchange.modelCalls} model call(s), ${exchange.toolCallsRequested.length} tool call(s) requested, ` +
        `${result.records.length} span(s) received`,
      ...(result.leftover ? [`note: ${result.leftover}`] : []),
      ...(ledger
        ? [
            `ledger ${ledger.records} record(s), ${ledger.toolCallsStarted} tool call(s) recorded before they ran${ledger.valid ? "" : ", fails verification"}`,
          ]
        : flags.ledger
          ? ["ledger none written at TRAILCHECK_LEDGER_DIR"]
          : []),
    ];
    if (result.failure) {
      const lines = [...header, "", `agent failed (${result.failure.kind}): ${result.failure.message}`];
      if (result.stderr.trim())
        lines.push("", "agent stderr (last lines):", ...result.stderr.trim().split("\n").slice(-20));
      process.stdout.write(`${lines.map(escapeTerminal).join("\n")}\n`);
    } else {
      process.stdout.write(
        formatVerdicts(judged.verdicts, [
          ...header,
          ...unknown.map((u) =>
            escapeTerminal(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
          ),
          ...facts.map((f) => escapeTerminal(`fact ${f.ref}: ${f.kept ? "kept" : "missing"}`)),
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
    .option(
      "--timeout <duration>",
      `how long the agent may run (default: agent.timeout, else ${DEFAULTS.agentTimeoutMs / 1000}s; at most 24d)`,
    )
    .option("--format <format>", "text or json", "text")
    .option(
      "--ledger",
      "the agent must keep a guard ledger at TRAILCHECK_LEDGER_DIR with every tool call the model asked for (one it keeps is checked anyway)",
    );
  addLoggingOptions(command).action(async (target: string, flags: ReplayFlags) => {
    process.exitCode = await runReplayVerb(target, flags);
  });
}
