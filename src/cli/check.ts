import { stat } from "node:fs/promises";
import type { Worker } from "node:worker_threads";
import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { readRecordBatches } from "../ingest/read-records.js";
import type { RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import type { UnknownConstruct } from "../pipeline/index.js";
import { OutOfOrderInput } from "../pipeline/run-feed.js";
import { type Sealer, SealsFailed } from "../pipeline/seal.js";
import { auditTime, loadProjectLogging, projectProfile } from "../project/judging.js";
import { type ProjectFlags, resolveProject } from "../project/project.js";
import { checkRecords } from "../reconstruct/check.js";
import { checkStream } from "../reconstruct/check-stream.js";
import { formatVerdictLines, formatVerdictTotals } from "../report/terminal.js";
import { escapeTerminal } from "../text/escape.js";
import { addLoggingOptions, parseFormat, projectFlags, type SettingsFlags } from "./options.js";
import { OutputSpool } from "./output-spool.js";

export interface CheckFlags extends SettingsFlags {
  trace: string;
  traceId?: string;
  format?: string;
}

/**
 * A trace file this large or larger is sealed in a worker thread when the config seals a stream. The
 * worker takes ≈ 3 ms of this thread's time per MB and costs ≈ 70 ms of CPU to start: at 8 MB this thread
 * saves 0.04 s for 0.08 s more CPU, at 16 MB 0.06 s for 0.07 s (2 busy cores, medians of 5).
 */
export const SEAL_IN_WORKER_FROM = 16 << 20;

/** What tests set to take the worker's paths with small files. */
export interface CheckTuning {
  /** The trace file size from which sealed streams are sealed in a worker thread. */
  readonly sealInWorkerFrom?: number;
  /** Starts the sealing worker (check-seal-worker.ts unless given). */
  readonly sealWorker?: () => Worker;
}

export async function runCheck(
  flags: CheckFlags,
  cwd: string = process.cwd(),
  tuning: CheckTuning = {},
): Promise<number> {
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
  // again (on the whole input: OutOfOrderInput; with seals made here: SealsFailed) has printed nothing.
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

  function startOver(): void {
    chunks.discard();
    runs = 0;
    failing = 0;
    gaps = 0;
  }

  /** The check as records are read, sealing in a worker thread where that pays (`inWorker`). */
  async function streamed(inWorker: boolean): Promise<{ runs: number; unknown: UnknownConstruct[] }> {
    const sealer = inWorker ? await sealerFor(config, flags.trace, traceId, tuning) : undefined;
    try {
      const options = { auditAfterNs: audit.ns, ...(sealer ? { sealer } : {}) };
      return await checkStream(read(), config, profile, options, onVerdict);
    } finally {
      // The worker ends with the streamed check, whichever way it ends.
      await sealer?.close();
    }
  }

  async function judgeAndPrint(): Promise<number> {
    let result: { runs: number; unknown: UnknownConstruct[] };
    try {
      try {
        result = await streamed(true);
      } catch (err) {
        // A seal made in the worker failed: what this thread's seals say decides (Sealer).
        if (!(err instanceof SealsFailed)) throw err;
        startOver();
        result = await streamed(false);
      }
    } catch (err) {
      if (!(err instanceof OutOfOrderInput)) throw err;
      startOver();
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
        escapeTerminal(`trailcheck check ${flags.trace}`),
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
 * A sealer in a worker thread when sealing a large file pays for one (SEAL_IN_WORKER_FROM), else none:
 * the check seals in its own thread. worker_threads is loaded only then.
 */
async function sealerFor(
  config: LoggingConfig,
  file: string,
  traceId: string | undefined,
  tuning: CheckTuning,
): Promise<(Sealer & { close(): Promise<void> }) | undefined> {
  if (traceId !== undefined || !config.streams.some((s) => s.integrity === "merkle-checkpoints"))
    return undefined;
  const size = await stat(file).then(
    (s) => s.size,
    // The reader reports what is wrong with the file.
    () => 0,
  );
  if (size < (tuning.sealInWorkerFrom ?? SEAL_IN_WORKER_FROM)) return undefined;
  const { WorkerSealer } = await import("./check-sealer.js");
  return new WorkerSealer(tuning.sealWorker?.());
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
