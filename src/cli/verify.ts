import type { Command } from "commander";
import { InputError } from "../errors.js";
import {
  parseDateOption,
  readKeyFile,
  readTrustedCheckpoint,
  reportVerification,
} from "../integrity/cli-support.js";
import { readSegmentStart, type SegmentStart } from "../integrity/segment-start.js";
import { verifyLogDir } from "../integrity/verify-log.js";
import { parseFormat } from "./options.js";

interface VerifyFlags {
  key?: string;
  trustedCheckpoint?: string;
  format?: string;
  at?: string;
  origin?: string;
}

export async function runVerify(dir: string, flags: VerifyFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const trusted = flags.trustedCheckpoint ? await readTrustedCheckpoint(flags.trustedCheckpoint) : undefined;
  if ((await mayBeLedger(dir)) && (await (await import("../guard/read-store.js")).isLedgerDir(dir))) {
    return verifyLedger(dir, flags, format, trusted);
  }
  if (!flags.key) {
    throw new InputError(
      "bad-option",
      "--key is required: pass the log's public key (only an unsigned guard ledger verifies without one)",
      { file: dir },
    );
  }
  const publicKey = await readKeyFile(flags.key, "public");
  const now = flags.at ? parseDateOption(flags.at, "--at") : new Date();
  const result = await verifyLogDir(dir, publicKey, {
    ...(trusted ? { trusted } : {}),
    ...(flags.origin !== undefined ? { origin: flags.origin } : {}),
    now,
  });
  const { records, segments, checkpoints } = result.stats;
  const summary = `log ${result.origin}: ${records} records in ${segments} segment(s), ${checkpoints} signed checkpoint(s)${trusted ? ", consistent with the trusted checkpoint" : ""}`;
  return reportVerification({ version: 1, valid: result.valid, findings: result.findings }, format, summary);
}

/**
 * False only for a folder the guard's own test (isLedgerDir) would not take for a ledger: its first
 * segment's first line is not a JSON object with a `type`, the field every ledger record has. That test
 * loads the ledger's record schemas, which a sealed span log never needs; a cheap look spares them.
 */
async function mayBeLedger(dir: string): Promise<boolean> {
  let start: SegmentStart;
  try {
    start = await readSegmentStart(dir);
  } catch {
    return true; // the guard's test meets the same error and reports it
  }
  if (start.kind !== "line") return start.kind === "empty";
  if (start.line === undefined) return false;
  try {
    const value: unknown = JSON.parse(start.line);
    return typeof value === "object" && value !== null && Object.hasOwn(value, "type");
  } catch {
    return false;
  }
}

/** A guard ledger: its records must be ledger records with no torn tail; signed ones need their key. */
async function verifyLedger(
  dir: string,
  flags: VerifyFlags,
  format: "text" | "json",
  trusted: { text: string; file: string } | undefined,
): Promise<number> {
  if (trusted && !flags.key) {
    throw new InputError("bad-option", "--trusted-checkpoint needs --key, the ledger's public key");
  }
  if (flags.origin !== undefined && !flags.key) {
    throw new InputError("bad-option", "--origin needs --key: only signed checkpoints name a ledger");
  }
  const { readLedgerForCli } = await import("./ledger.js");
  const reading = await readLedgerForCli(dir, { ...flags, ...(trusted ? { trusted } : {}) }, "verify");
  const { records, segments, checkpoints } = reading.stats;
  const summary =
    reading.checked === "signatures"
      ? `ledger of ${records} records in ${segments} segment(s), ${checkpoints} signed checkpoint(s)${trusted ? ", consistent with the trusted checkpoint" : ""}`
      : `unsigned ledger of ${records} records in ${segments} segment(s): every record matches its leaf index and none is torn; ` +
        "without signed checkpoints this is not tamper evidence (open the ledger with a key for that)";
  return reportVerification(
    { version: 1, valid: reading.valid, findings: [...reading.findings] },
    format,
    summary,
  );
}

export function register(program: Command): void {
  program
    .command("verify")
    .description(
      "Verify a sealed log or a guard ledger: every record, checkpoint signature, heartbeat and (given one) a trusted checkpoint.",
    )
    .argument("<dir>", "sealed log directory")
    .option(
      "--key <public.pem>",
      "the log's Ed25519 public key (an unsigned guard ledger verifies without one)",
    )
    .option("--trusted-checkpoint <file>", "a checkpoint kept outside the store; catches a cut-off tail")
    .option("--format <format>", "text or json", "text")
    .option("--at <time>", "judge heartbeat staleness at this ISO time (default: now)")
    .option(
      "--origin <name>",
      "the log's name (`seal --origin`, the ledger's origin): a log of another name fails",
    )
    .action(async (dir: string, flags: VerifyFlags) => {
      process.exitCode = await runVerify(dir, flags);
    });
}
