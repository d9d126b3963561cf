import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { parseDateOption, readKeyFile, reportVerification } from "../integrity/cli-support.js";
import { verifyLogDir } from "../integrity/verify-log.js";
import { parseFormat } from "./options.js";

interface VerifyFlags {
  key: string;
  trustedCheckpoint?: string;
  format?: string;
  at?: string;
}

export async function runVerify(dir: string, flags: VerifyFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const publicKey = await readKeyFile(flags.key, "public");
  let trusted: { text: string; file: string } | undefined;
  if (flags.trustedCheckpoint) {
    const file = flags.trustedCheckpoint;
    const text = await readFile(file, "utf8").catch(() => {
      throw new InputError("trusted-checkpoint", "cannot read the trusted checkpoint", { file });
    });
    trusted = { text, file };
  }
  const now = flags.at ? parseDateOption(flags.at, "--at") : new Date();
  const result = await verifyLogDir(dir, publicKey, { ...(trusted ? { trusted } : {}), now });
  const { records, segments, checkpoints } = result.stats;
  const summary = `${records} records in ${segments} segment(s), ${checkpoints} signed checkpoint(s)${trusted ? ", consistent with the trusted checkpoint" : ""}`;
  return reportVerification({ version: 1, valid: result.valid, findings: result.findings }, format, summary);
}

export function register(program: Command): void {
  program
    .command("verify")
    .description(
      "Verify a sealed log: every record, checkpoint signature, heartbeat and (given one) a trusted checkpoint.",
    )
    .argument("<dir>", "sealed log directory")
    .requiredOption("--key <public.pem>", "the log's Ed25519 public key")
    .option("--trusted-checkpoint <file>", "a checkpoint kept outside the store; catches a cut-off tail")
    .option("--format <format>", "text or json", "text")
    .option("--at <time>", "judge heartbeat staleness at this ISO time (default: now)")
    .action(async (dir: string, flags: VerifyFlags) => {
      process.exitCode = await runVerify(dir, flags);
    });
}
