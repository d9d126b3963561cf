import type { KeyObject } from "node:crypto";
import { ExitCode, InputError } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { formatFindingsJson, formatFindingsText, type VerifyResult } from "./findings.js";
import { parsePrivateKey, parsePublicKey } from "./keys.js";

/** Reads a PEM key file for a CLI verb; a missing or wrong file is the user's mistake (exit 2). */
export async function readKeyFile(path: string, which: "public" | "private"): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readInputFile(path, `the ${which} key`);
  } catch (err) {
    if (!(err instanceof InputError && err.code === "file-not-found")) throw err;
    throw new InputError(
      "key-file",
      `cannot read the ${which} key; create a pair with \`trailcheck keygen --out DIR\``,
      {
        file: path,
      },
    );
  }
  return which === "public" ? parsePublicKey(pem, path) : parsePrivateKey(pem, path);
}

/** Prints a verification result and returns the exit code: 0 valid, 1 tampering found. */
export function reportVerification(result: VerifyResult, format: "text" | "json", summary: string): number {
  process.stdout.write(format === "json" ? formatFindingsJson(result) : formatFindingsText(result, summary));
  return result.valid ? ExitCode.ok : ExitCode.gaps;
}

/** Reads a checkpoint kept outside the store (`--trusted-checkpoint`); a missing file is bad input. */
export async function readTrustedCheckpoint(file: string): Promise<{ text: string; file: string }> {
  return { text: await readInputFile(file, "the trusted checkpoint"), file };
}

export function parsePositiveInt(value: string, option: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new InputError("bad-option", `${option} must be a positive integer, not '${value}'`);
  return Number(value);
}

export function parseDateOption(value: string, option: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(date.getTime())) {
    throw new InputError(
      "bad-option",
      `${option} must be an ISO 8601 time such as 2025-01-31T12:00:00Z, not '${value}'`,
    );
  }
  return date;
}
