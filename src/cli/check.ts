import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { readRecordBatches } from "../ingest/read-records.js";
import type { RunVerdict } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import type { UnknownConstruct } from "../pipeline/index.js";
import { OutOfOrderInput } from "../pipeline/run-feed.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import { type ProjectFlags, resolveProject } from "../project/project.js";
import { checkRecords } from "../reconstruct/check.js";
import { checkStream } from "../reconstruct/check-stream.js";
import { formatVerdictLines, formatVerdictTotals } from "../report/terminal.js";
import { escapeTerminal } from "../text/escape.js";
import { addLoggingOptions, parseFormat, projectFlags, type SettingsFlags } from "./options.js";
import { OutputSpool } from "./output-spool.js";

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
  const config = logging.config;
  const read = () => readRecordBatches(flags.trace, traceId ? { traceId } : {});
  // Verdicts are rendered as they come and printed once the check is over: a check that has to start
  // again on the whole input (OutOfOrderInput) has printed nothing.
  // A spool, not an array: with many gaps the report can outgrow what the check itself holds.
  const chunks = new OutputSpool();
  let runs = 0;
  let failing = 0;
  let gaps = 0;
  const onVerdict = (v: RunVerdict) => {
    if (!v.reconstructable) failing++;
    gaps += v.gaps.length;
    if (runs++ > 0) chunks.add(format === "json" ? ",\n" : "\n");
    chunks.add(format === "json" ? jsonItem(v) : formatVerdictLines(v).join("\n"));
  };
  try {
    return await judgeAndPrint();
  } finally {
    // A check that fails part way leaves no temporary file behind.
    chunks.discard();
  }

  async function judgeAndPrint(): Promise<number> {
    let result: { runs: number; unknown: UnknownConstruct[] };
    try {
      result = await checkStream(read(), config, profile, { auditAfterNs: audit.ns }, onVerdict);
    } catch (err) {
      if (!(err instanceof OutOfOrderInput)) throw err;
      chunks.discard();
      runs = 0;
      failing = 0;
      gaps = 0;
      const records: SpanRecord[] = [];
      for await (const batch of read()) for (const r of batch) records.push(r);
      const { verdicts, view } = checkRecords(records, config, profile, { auditAfterNs: audit.ns });
      for (const v of verdicts) onVerdict(v);
      result = { runs: verdicts.length, unknown: view.unknown };
    }
    if (result.runs === 0) {
      chunks.discard();
      throw new InputError(
        "no-trace",
        traceId ? `no span of trace ${traceId} in the file` : "the file holds no spans",
        {
          file: flags.trace,
        },
      );
    }
    const unknown = [...logging.unknown, ...result.unknown];
    if (format === "json") {
      const head = JSON.stringify({ version: 1, profile: profile.name, auditAfter: audit.text }, null, 2);
      const tail = JSON.stringify(unknown, null, 2).replaceAll("\n", "\n  ");
      process.stdout.write(`${head.slice(0, -2)},\n  "runs": [\n`);
      await chunks.writeTo(process.stdout);
      process.stdout.write(`\n  ],\n  "unknown": ${tail}\n}\n`);
    } else {
      const header = [
        `trailcheck check ${flags.trace}`,
        escapeTerminal(
          `logging ${logging.label} · profile ${profile.name} (${from}) · audit ${audit.text} after each run`,
        ),
        ...unknown.map((u) =>
          escapeTerminal(`unknown (effect not modelled): ${u.stage} ${u.construct}: ${u.message}`),
        ),
      ];
      process.stdout.write(`${[...header, ""].join("\n")}\n`);
      await chunks.writeTo(process.stdout);
      process.stdout.write(`\n\n${formatVerdictTotals(result.runs, failing, gaps)}\n`);
    }
    return failing === 0 ? ExitCode.ok : ExitCode.gaps;
  }
}

/**
 * One run as an element of the `runs` array: one line per run, indented under the array. A report with
 * many gaps runs to tens of megabytes; pretty-printing each run would add a quarter to its size and to
 * the time spent writing it, and one line per run still diffs run by run. A verdict is strings,
 * booleans and arrays of them (RunVerdictSchema): no replacer is needed.
 */
function jsonItem(v: RunVerdict): string {
  return `    ${JSON.stringify(v)}`;
}

export function register(program: Command): void {
  const command = program
    .command("check")
    .description(
      "Push recorded runs through a logging config and report every fact an audit could not reconstruct.",
    )
    .requiredOption(
      "--trace <file>",
      "recorded trace: OTLP JSON or protobuf (.pb, .binpb), collector file export (JSON lines, format: proto, zstd), OpenAI Agents SDK export, trailcheck JSONL",
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
