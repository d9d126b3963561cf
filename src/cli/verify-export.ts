import { join } from "node:path";
import type { Command } from "commander";
import { readInputFile } from "../files/read-input.js";
import { readKeyFile, reportVerification } from "../integrity/cli-support.js";
import { BUNDLE_FILES, ManifestSchema } from "../integrity/export-bundle.js";
import { verifyBundle } from "../integrity/verify-export.js";
import { parseFormat } from "./options.js";

export async function runVerifyExport(dir: string, flags: { key: string; format?: string }): Promise<number> {
  const format = parseFormat(flags.format);
  const publicKey = await readKeyFile(flags.key, "public");
  const result = await verifyBundle(dir, publicKey);
  // Valid, the manifest is byte for byte what the proven records and checkpoint produce: safe to quote.
  const manifest = result.valid
    ? ManifestSchema.parse(JSON.parse(await readInputFile(join(dir, BUNDLE_FILES.manifest), "the manifest")))
    : undefined;
  const summary = manifest
    ? `${manifest.records} record(s) of log ${manifest.origin}, each proven against its signed checkpoint #${manifest.checkpointSeq} (${manifest.treeSize} records); every file is intact`
    : "";
  return reportVerification(result, format, summary);
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
