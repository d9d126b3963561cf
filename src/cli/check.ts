import type { Command } from "commander";
import { type LoggingSource, loadLoggingSource } from "../config/source.js";
import { ExitCode, InputError } from "../errors.js";
import { readRecords } from "../ingest/index.js";
import type { SpanRecord } from "../model/record.js";
import { resolveProfile } from "../profiles/resolve.js";
import { checkRecords } from "../reconstruct/check.js";
import { formatVerdicts, safeText } from "../report/terminal.js";
import { addLoggingOptions, auditAfter, parseFormat, printJson } from "./options.js";

interface CheckFlags extends LoggingSource {
  trace: string;
  profile?: string;
  auditAfter?: string;
  traceId?: string;
  format?: string;
}

export async function runCheck(flags: CheckFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const logging = await loadLoggingSource(flags);
  const config = logging.config;
  const profile = await resolveProfile(
    flags.profile ?? config.compliance,
    flags.profile ? undefined : logging.label,
  );
  const audit = auditAfter(flags.auditAfter, profile);
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
  const { verdicts, view } = checkRecords(records, config, profile, { auditAfterNs: audit.ns });
  const unknown = [...logging.unknown, ...view.unknown];
  if (format === "json") {
    printJson({ version: 1, profile: profile.name, auditAfter: audit.text, runs: verdicts, unknown });
  } else {
    process.stdout.write(
      formatVerdicts(verdicts, [
        `trailcheck check ${flags.trace}`,
        `logging ${logging.label} · profile ${profile.name} · audit ${audit.text} after each run`,
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
