import type { Command } from "commander";
import { readKeyFile, reportVerification } from "../integrity/cli-support.js";
import { verifyBundle } from "../integrity/verify-export.js";
import { parseFormat } from "./options.js";

export async function runVerifyExport(dir: string, flags: { key: string; format?: string }): Promise<number> {
  const format = parseFormat(flags.format);
  const publicKey = await readKeyFile(flags.key, "public");
  const result = await verifyBundle(dir, publicKey);
  return reportVerification(
    result,
    format,
    "every record is proven against the signed checkpoint; every file is intact",
  );
}

export function register(program: Command): void {
  program
    .command("verify-export")
    .description("Check an auditor bundle offline with the log's public key only.")
    .argument("<bundle>", "bundle directory written by `trailcheck export`")
    .requiredOption("--key <public.pem>", "the log's Ed25519 public key")
    .option("--format <format>", "text or json", "text")
    .action(async (dir: string, flags: { key: string; format?: string }) => {
      process.exitCode = await runVerifyExport(dir, flags);
    });
}
