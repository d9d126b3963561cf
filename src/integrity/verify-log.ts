import type { KeyObject } from "node:crypto";
import { type Finding, finding, type VerifyResult, verifyResult } from "./findings.js";
import { type HashedStore, hashStore } from "./hashed-store.js";
import { readHashedStore } from "./read-hashed-store.js";
import type { LogStore } from "./read-store.js";
import { reviewCheckpoints } from "./verify-checkpoints.js";
import { reviewHashedRecords } from "./verify-records.js";
import { reviewAgainstTrusted, type TrustedCheckpoint } from "./verify-trusted.js";

export interface VerifyLogOptions {
  readonly trusted?: TrustedCheckpoint;
  /** The time the log is judged at (staleness); defaults to the clock. */
  readonly now?: Date;
  /** The log the caller expects (`verify --origin`): checkpoints naming another log are a finding. */
  readonly origin?: string;
}

export interface LogVerification extends VerifyResult {
  /** Counts for the human summary line. */
  readonly stats: { readonly records: number; readonly segments: number; readonly checkpoints: number };
  /**
   * The log the accepted checkpoints name. One key may sign several logs: a valid verdict says which
   * one it is for, so a log swapped whole for another of the same key does not pass unseen.
   */
  readonly origin?: string;
}

/** Verifies a sealed log already read into memory; pure apart from the signature checks. */
export function verifyLogStore(
  store: LogStore,
  publicKey: KeyObject,
  options: VerifyLogOptions = {},
): LogVerification {
  return verifyHashedStore(hashStore(store), publicKey, options);
}

/** verifyLogStore over a log reduced to its hashes (readHashedStore). */
export function verifyHashedStore(
  store: HashedStore,
  publicKey: KeyObject,
  options: VerifyLogOptions = {},
): LogVerification {
  const checkpoints = reviewCheckpoints(store.checkpoints, publicKey, options.now ?? new Date());
  const records = reviewHashedRecords(store.segments, checkpoints.accepted);
  const findings: Finding[] = [
    ...store.unexpected.map((file) =>
      finding("unexpected-file", "not part of the sealed log: no checkpoint covers it", { file }),
    ),
    ...checkpoints.findings,
    ...records.findings,
  ];
  if (options.trusted) {
    findings.push(...reviewAgainstTrusted(options.trusted, publicKey, checkpoints.accepted, records.tree));
  }
  const origin = checkpoints.accepted[0]?.checkpoint.origin;
  if (options.origin !== undefined && origin !== undefined && origin !== options.origin) {
    // One key may sign several logs: without this, a log swapped whole for another of the same key
    // is valid, only its name in the verdict line tells.
    findings.push(
      finding("inconsistent-checkpoint", `the checkpoints are of log ${origin}, not of ${options.origin}`),
    );
  }
  return {
    ...verifyResult(findings),
    ...(origin !== undefined ? { origin } : {}),
    stats: {
      records: records.tree.size,
      segments: store.segments.length,
      checkpoints: checkpoints.accepted.length,
    },
  };
}

/** Reads and verifies a sealed log directory, streaming its records: memory holds their hashes only. */
export async function verifyLogDir(
  dir: string,
  publicKey: KeyObject,
  options: VerifyLogOptions = {},
): Promise<LogVerification> {
  return verifyHashedStore(await readHashedStore(dir), publicKey, options);
}
