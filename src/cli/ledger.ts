import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { formatLedgerText } from "../guard/format-ledger.js";
import { type LedgerReading, readLedger, requireKeyForSigned } from "../guard/read-ledger.js";
import { assertLedgerDir } from "../guard/read-store.js";
import { parseDateOption, readKeyFile } from "../integrity/cli-support.js";
import type { TrustedCheckpoint } from "../integrity/verify-trusted.js";
import { parseFormat, printJson } from "./options.js";

interface ShowFlags {
  key?: string;
  format?: string;
  at?: string;
}

/**
 * Reads a ledger with its key when one is given. A signed ledger read without its key could only be
 * checked for structure, and a `valid` from that would vouch for signatures nobody checked.
 */
export async function readLedgerForCli(
  dir: string,
  flags: { key?: string; at?: string; trusted?: TrustedCheckpoint; origin?: string },
  verb: string,
): Promise<LedgerReading> {
  await assertLedgerDir(dir);
  const publicKey = flags.key ? await readKeyFile(flags.key, "public") : undefined;
  const now = flags.at ? parseDateOption(flags.at, "--at") : new Date();
  const reading = await readLedger(dir, {
    ...(publicKey ? { publicKey } : {}),
    ...(flags.trusted ? { trusted: flags.trusted } : {}),
    ...(flags.origin !== undefined ? { origin: flags.origin } : {}),
    now,
  });
  requireKeyForSigned(reading, dir, `pass --key PUBLIC.pem to ${verb} it`);
  return reading;
}

export async function runLedgerShow(dir: string, flags: ShowFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const reading = await readLedgerForCli(dir, flags, "show");
  if (format === "json") printJson(reading);
  else process.stdout.write(formatLedgerText(dir, reading));
  return reading.valid ? ExitCode.ok : ExitCode.gaps;
}

export function register(program: Command): void {
  const ledger = program
    .command("ledger")
    .description("Read the write-ahead ledger the guard keeps of an agent's tool calls.");
  ledger
    .command("show")
    .description("Print a ledger's records and whether it verifies (exit 1 when it doesn't).")
    .argument("<dir>", "ledger directory")
    .option("--key <public.pem>", "the ledger's Ed25519 public key (required for a signed ledger)")
    .option("--format <format>", "text or json", "text")
    .option("--at <time>", "judge checkpoint staleness at this ISO time (default: now)")
    .action(async (dir: string, flags: ShowFlags) => {
      process.exitCode = await runLedgerShow(dir, flags);
    });
}
