import type { Command } from "commander";
import { loadProject } from "../config/project.js";
import { loadLoggingSource } from "../config/source.js";
import { ExitCode, InputError } from "../errors.js";
import { parseDuration } from "../model/duration.js";
import { resolveProfile } from "../profiles/resolve.js";
import { judgeReplay } from "../replay/judge.js";
import { runReplay } from "../replay/runner.js";
import { loadScenario } from "../replay/scenario.js";
import { formatVerdicts, safeText } from "../report/terminal.js";
import { addLoggingOptions, auditAfter, parseFormat, printJson } from "./options.js";

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

function timeoutMs(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const ns = parseDuration(text);
  if (ns === undefined || ns === 0n) {
    throw new InputError(
      "bad-option",
      `--timeout must be a duration such as 30s, 2m or 500ms, not '${text}'`,
    );
  }
  return Number(ns / 1_000_000n);
}

export async function runReplayVerb(scenarioFile: string, flags: ReplayFlags): Promise<number> {
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
  const logging = await loadLoggingSource(viaFlags ? flags : { logging: project.logging });
  const profile = await resolveProfile(
    flags.profile ?? project.profile ?? logging.config.compliance,
    (flags.profile ?? project.profile) ? undefined : logging.label,
  );
  const audit = auditAfter(flags.auditAfter, profile);
  const scenario = await loadScenario(scenarioFile);

  const result = await runReplay({
    scenario,
    command,
    // The agent command is written relative to the project, like an npm script.
    cwd: project.root,
    timeoutMs: timeoutMs(flags.timeout ?? project.agent?.timeout),
  });
  const agent = {
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    ...(result.failure ? { failure: result.failure } : {}),
  };
  const exchange = {
    modelCalls: result.exchange.modelCalls,
    toolCallsRequested: result.exchange.toolCallsRequested,
  };
  // The agent's own failure is never judged for gaps: its telemetry is incomplete by its own doing.
  const judged = result.failure
    ? { verdicts: [], unknown: [] }
    : judgeReplay(result.exchange, result.records, logging.config, profile, audit.ns);
  const unknown = [...logging.unknown, ...judged.unknown];

  if (format === "json") {
    printJson({
      version: 1,
      profile: profile.name,
      auditAfter: audit.text,
      runs: judged.verdicts,
      unknown,
      agent,
      exchange,
    });
  } else {
    const header = [
      `trailcheck replay ${scenarioFile}`,
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
      "Run the agent against a scenario's scripted model, capture its telemetry, and report what it failed " +
        "to emit and what the logging config loses.",
    )
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--agent <command>", "the agent command (default: agent.command in trailcheck.config.yaml)")
    .option(
      "--audit-after <duration>",
      "when the audit happens after the run (default: the profile's minimum retention)",
    )
    .option("--timeout <duration>", "how long the agent may run (default: agent.timeout, else 60s)")
    .option("--format <format>", "text or json", "text");
  addLoggingOptions(command).action(async (scenario: string, flags: ReplayFlags) => {
    process.exitCode = await runReplayVerb(scenario, flags);
  });
}
