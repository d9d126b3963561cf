import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { readKeyFile, reportVerification } from "../integrity/cli-support.js";
import { exportBundle } from "../integrity/export-log.js";
import { parseTimeOption, parseTraceIdOption, type SelectionRequest } from "../integrity/export-selection.js";

interface ExportFlags {
  from: string;
  key: string;
  out: string;
  traceId?: string;
  since?: string;
  until?: string;
}

function request(flags: ExportFlags): SelectionRequest {
  const range = flags.since !== undefined || flags.until !== undefined;
  if (flags.traceId !== undefined && !range) return { traceId: parseTraceIdOption(flags.traceId) };
  if (flags.traceId === undefined && flags.since !== undefined && flags.until !== undefined) {
    const since = parseTimeOption(flags.since, "--since");
    const until = parseTimeOption(flags.until, "--until");
    if (until < since) throw new InputError("bad-option", "--until is before --since");
    return { since, until };
  }
  throw new InputError("bad-option", "give either --trace-id ID or both --since TIME and --until TIME");
}

export async function runExport(flags: ExportFlags): Promise<number> {
  const selection = request(flags);
  const publicKey = await readKeyFile(flags.key, "public");
  const outcome = await exportBundle(flags.from, publicKey, selection, flags.out);
  if (!outcome.ok) {
    process.stderr.write("trailcheck: the log fails verification; no bundle was written\n");
    return reportVerification(outcome.verification, "text", "");
  }
  process.stdout.write(
    `exported ${outcome.records} record(s) of ${outcome.runs} run(s) to ${flags.out}\n${outcome.files.map((f) => `  ${f}`).join("\n")}\n`,
  );
  return ExitCode.ok;
}

export function register(program: Command): void {
  program
    .command("export")
    .description(
      "Write an auditor bundle: records, inclusion proofs, the signed checkpoint, a manifest and HTML timelines.",
    )
    .requiredOption("--from <dir>", "sealed log directory")
    .requiredOption("--key <public.pem>", "the log's Ed25519 public key (the log is verified first)")
    .requiredOption("--out <dir>", "bundle directory (new or empty)")
    .option("--trace-id <id>", "export one run")
    .option("--since <time>", "export records starting at or after this time (ISO 8601 or unix ns)")
    .option("--until <time>", "… and at or before this time")
    .action(async (flags: ExportFlags) => {
      process.exitCode = await runExport(flags);
    });
}
