import { basename, resolve } from "node:path";
import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { parsePositiveInt, readKeyFile } from "../integrity/cli-support.js";
import { readRecordsForSealing } from "../integrity/read-records-for-sealing.js";
import { SealedLogWriter } from "../integrity/writer.js";

interface SealFlags {
  in: string;
  out: string;
  key: string;
  checkpointEvery?: string;
  origin?: string;
}

export async function runSeal(flags: SealFlags): Promise<number> {
  const every = flags.checkpointEvery ? parsePositiveInt(flags.checkpointEvery, "--checkpoint-every") : 1000;
  const privateKey = await readKeyFile(flags.key, "private");
  const records = await readRecordsForSealing(flags.in);
  if (records.length === 0)
    throw new InputError("no-records", "the file holds no records to seal", { file: flags.in });
  const origin = flags.origin ?? `trailcheck.local/${basename(resolve(flags.out))}`;
  if (!/^[\x21-\x7e]{1,255}$/.test(origin)) {
    throw new InputError("bad-option", "--origin must be printable ASCII without spaces", {
      field: "origin",
    });
  }
  let writer: SealedLogWriter;
  try {
    // Sealing a finished file has no heartbeat: the final checkpoint closes the log instead.
    writer = await SealedLogWriter.open({
      dir: flags.out,
      privateKey,
      origin,
      checkpointEvery: every,
      heartbeatMs: 0,
    });
  } catch (err) {
    throw new InputError("seal-out", (err as Error).message, { file: flags.out });
  }
  await writer.appendMany(records);
  const newest = await writer.close();
  process.stdout.write(
    `sealed ${records.length} records from ${flags.in} into ${flags.out} (origin ${origin})\n${newest}\n`,
  );
  return ExitCode.ok;
}

export function register(program: Command): void {
  program
    .command("seal")
    .description("Seal an existing record file into a tamper-evident log with signed checkpoints.")
    .requiredOption(
      "--in <file>",
      "records: OTLP JSON or protobuf, collector file export (JSON lines, format: proto, zstd), OpenAI Agents SDK export, trailcheck JSONL",
    )
    .requiredOption("--out <dir>", "sealed log directory (created, or extended if it already holds a log)")
    .requiredOption("--key <private.pem>", "Ed25519 private key from `trailcheck keygen`")
    .option("--checkpoint-every <n>", "publish a signed checkpoint every N records (default 1000)")
    .option(
      "--origin <name>",
      "log name written into every checkpoint (default trailcheck.local/<out dir name>)",
    )
    .action(async (flags: SealFlags) => {
      process.exitCode = await runSeal(flags);
    });
}
