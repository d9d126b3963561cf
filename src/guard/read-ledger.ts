import type { KeyObject } from "node:crypto";
import { InputError } from "../errors.js";
import { type Finding, finding } from "../integrity/findings.js";
import type { LogStore } from "../integrity/read-store.js";
import { verifyLogStore } from "../integrity/verify-log.js";
import { reviewRecords } from "../integrity/verify-records.js";
import type { TrustedCheckpoint } from "../integrity/verify-trusted.js";
import { inspectLedger, type LedgerInspection, type LedgerTail } from "./inspect.js";
import { readLedgerStore } from "./read-store.js";
import type { LedgerRecord } from "./records.js";

export interface ReadLedgerOptions {
  /** The ledger's Ed25519 public key: checkpoints and signatures are verified with it. */
  readonly publicKey?: KeyObject;
  /** A checkpoint kept outside the ledger; catches a tail cut off together with its checkpoints. */
  readonly trusted?: TrustedCheckpoint;
  /** The time the ledger is judged at; defaults to the clock. */
  readonly now?: Date;
  /** The ledger's expected origin (with a key): checkpoints naming another are a finding. */
  readonly origin?: string;
}

/** A ledger read and judged: `trailcheck ledger show` prints it, the audit and replay consume it. */
export interface LedgerReading {
  readonly version: 1;
  readonly valid: boolean;
  /** The ledger has signed checkpoints. */
  readonly signed: boolean;
  /**
   * `signatures`: verified against the public key, as `trailcheck verify` does. `structure`: without a
   * key, only the records against their own leaf index, record syntax and the tail — which shows a
   * crash's damage and accidental edits, not tampering.
   */
  readonly checked: "signatures" | "structure";
  readonly findings: readonly Finding[];
  readonly records: readonly LedgerRecord[];
  readonly stats: { readonly records: number; readonly segments: number; readonly checkpoints: number };
}

/** The ledger's own findings: a torn last record and lines that are not ledger records. */
export function recordFindings(inspection: LedgerInspection): Finding[] {
  const out = inspection.malformed.map((m) =>
    finding("malformed-record", "not a ledger record (unreadable JSON or an unknown shape)", m),
  );
  const torn = inspection.torn;
  if (torn) {
    out.push(
      finding(
        "torn-record",
        `${torn.reason}: ${torn.bytes.length} byte(s) a crash left mid-write; reopening the ledger cuts and reports them`,
        { file: torn.file, index: torn.index },
      ),
    );
  }
  return out;
}

/** Without a key: the records against their leaf index, and files that don't belong. */
export function structureFindings(store: LogStore): Finding[] {
  const review = reviewRecords(store.segments, []);
  return [
    ...store.unexpected.map((file) => finding("unexpected-file", "not part of the ledger", { file })),
    // Nothing is covered without checkpoints; that is what `checked: "structure"` says.
    ...review.findings.filter((f) => f.kind !== "uncovered-records"),
  ];
}

/** Judges a ledger store already read into memory. Pure apart from the signature checks. */
export function judgeLedger(
  store: LogStore,
  tail: LedgerTail,
  options: ReadLedgerOptions = {},
): LedgerReading {
  const inspection = inspectLedger(store, tail);
  const keyed = options.publicKey
    ? verifyLogStore(inspection.store, options.publicKey, {
        ...(options.trusted ? { trusted: options.trusted } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.origin !== undefined ? { origin: options.origin } : {}),
      })
    : undefined;
  const findings = [
    ...(keyed ? keyed.findings : structureFindings(inspection.store)),
    ...recordFindings(inspection),
  ];
  return {
    version: 1,
    valid: findings.length === 0,
    signed: store.checkpoints.length > 0,
    checked: keyed ? "signatures" : "structure",
    findings,
    records: inspection.records,
    stats: {
      records: inspection.records.length,
      segments: store.segments.length,
      checkpoints: keyed?.stats.checkpoints ?? store.checkpoints.length,
    },
  };
}

/** Reads and judges a ledger directory. */
export async function readLedger(dir: string, options: ReadLedgerOptions = {}): Promise<LedgerReading> {
  const { store, tail } = await readLedgerStore(dir);
  return judgeLedger(store, tail, options);
}

/**
 * A signed ledger read without its key could only be checked for structure, and a `valid` from that
 * would vouch for signatures nobody checked: callers that judge a ledger refuse it (exit 2).
 */
export function requireKeyForSigned(reading: LedgerReading, dir: string, how: string): void {
  if (reading.signed && reading.checked !== "signatures") {
    throw new InputError("ledger-key-required", `this ledger has signed checkpoints; ${how}`, { file: dir });
  }
}
