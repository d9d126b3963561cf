import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { readRecords } from "../ingest/index.js";
import type { SpanRecord } from "../model/record.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import { type ProjectFlags, resolveProject } from "../project/project.js";
import { checkRecords } from "../reconstruct/check.js";
import { formatVerdicts, safeText } from "../report/terminal.js";
import { addLoggingOptions, parseFormat, printJson, projectFlags, type SettingsFlags } from "./options.js";

interface CheckFlags extends SettingsFlags {
  trace: string;
  traceId?: string;
  format?: string;
}

export async function runCheck(flags: CheckFlags, cwd: string = process.cwd()): Promise<number> {
  const format = parseFormat(flags.format);
  const settings: ProjectFlags = projectFlags(flags);
  const project = await resolveProject({ flags: settings, cwd });
  const logging = await loadProjectLogging(project);
  const { profile, from } = await projectProfile(project, logging);
  const audit = auditTime(project, profile);
  const traceId = flags.traceId?.toLowerCase();
  const records: SpanRecord[] = [];
  for await (const r of readRecords(flags.trace, traceId ? { traceId } : {})) records.push(r);
  if (records.length === 0) {
    throw new InputError(
      "no-trace",
      traceId ? `no span of trace ${traceId} in the file` : "the file holds no spans",
      {
        file: flags.trace,
      },
    );
  }
  const { verdicts, view } = checkRecords(records, logging.config, profile, { auditAfterNs: audit.ns });
  const unknown = [...logging.unknown, ...view.unknown];
  if (format === "json") {
    printJson({ version: 1, profile: profile.name, auditAfter: audit.text, runs: verdicts, unknown });
  } else {
    process.stdout.write(
      formatVerdicts(verdicts, [
        `trailcheck check ${flags.trace}`,
        safeText(
          `logging ${logging.label} · profile ${profile.name} (${from}) · audit ${audit.text} after each run`,
        ),
        ...unknown.map((u) =>
          safeText(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
        ),
      ]),
    );
  }
  return verdicts.every((v) => v.reconstructable) ? ExitCode.ok : ExitCode.gaps;
}

export function register(program: Command): void {
  const command = program
    .command("check")
    .description(
      "Push recorded runs through a logging config and report every fact an audit could not reconstruct.",
    )
    .requiredOption(
      "--trace <file>",
      "recorded trace: OTLP JSON, collector file export, OpenAI Agents SDK export, trailcheck JSONL",
    )
    .option(
      "--audit-after <duration>",
      "when the audit happens after each run (default: the profile's minimum retention)",
    )
    .option("--trace-id <id>", "check only this trace")
    .option("--format <format>", "text or json", "text");
  addLoggingOptions(command).action(async (flags: CheckFlags) => {
    process.exitCode = await runCheck(flags);
  });
}
