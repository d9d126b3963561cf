import type { KeyObject } from "node:crypto";
import { makeFolder } from "../files/make-folder.js";
import { parsePrivateKey, signingKey } from "../integrity/keys.js";
import { takeWriterLock, type WriterLock } from "../integrity/writer-lock.js";
import type { Profile } from "../model/profile.js";
import { sha256Hex } from "./digest.js";
import { LedgerWriter, type SyncMode } from "./ledger-writer.js";
import type { LedgerRecord, LedgerRecovered } from "./records.js";
import { recoverLedgerDir } from "./recover.js";
import { argumentsRecorder, type RecordedArguments, type Redact } from "./redact.js";

export interface LedgerOptions {
  /**
   * The ledger directory; created if missing, verified and extended if it holds a ledger. One writer at
   * a time: a second `openLedger` of the same directory, in this process or another, is refused while
   * the first is open (a `writer.lock` file names its process; a dead process's lock is taken over).
   */
  readonly dir: string;
  /** `always` (default): fdatasync'd before the tool runs. `batch`: written before, fdatasync'd in groups. */
  readonly sync?: SyncMode;
  /** With `batch`, the longest a record waits for its fdatasync. Default 100 ms. */
  readonly syncIntervalMs?: number;
  /** Ed25519 private key (PEM from `trailcheck keygen`, or a KeyObject): the ledger gets signed checkpoints. */
  readonly key?: string | KeyObject;
  /** Names the ledger in its checkpoints (printable ASCII, no spaces). Default `trailcheck-ledger`. */
  readonly origin?: string;
  /** With a key: a checkpoint after this many records (besides one on open and a final one on close). Default 1000. */
  readonly checkpointEvery?: number;
  /** With a key: a heartbeat checkpoint at least this often while open (0: none, the default). */
  readonly heartbeatMs?: number;
  /** Which tool calls keep only a hash of their arguments; default: what `profile` allows. */
  readonly redact?: Redact;
  /** A compliance profile (built-in name or resolved): arguments it accepts hashed are hashed. */
  readonly profile?: string | Profile;
  /** Records per segment file. Default 100 000. */
  readonly segmentRecords?: number;
  readonly clock?: () => Date;
  /** A failure nobody awaits (a batch sync, a checkpoint). Default: a process warning. */
  readonly onError?: (error: Error) => void;
  /** Reopening repaired a crash's damage (also written into the ledger). Default: a process warning. */
  readonly onRecovered?: (record: LedgerRecovered) => void;
}

/** What the guard needs of a ledger; any sink with `append` can stand in. */
export interface LedgerSink {
  /** Resolves once the record is as durable as the sink promises; rejects when it can't be recorded. */
  append(record: LedgerRecord): Promise<void>;
  /** How the sink keeps a call's arguments (clear or hashed), so a refusal on the trace matches it. */
  recordArguments?(toolName: string, args: unknown): RecordedArguments;
}

export interface Ledger extends LedgerSink {
  readonly dir: string;
  /** Records in the ledger. */
  readonly size: number;
  /** Set when opening repaired a crash's damage: the record written about it. */
  readonly recovered?: LedgerRecovered;
  recordArguments(toolName: string, args: unknown): RecordedArguments;
  /** With a key: signs a checkpoint over everything recorded so far. */
  checkpoint(): Promise<void>;
  /** Makes everything durable, signs the final checkpoint and closes; later appends are refused. */
  close(): Promise<void>;
}

function warn(message: string): void {
  process.emitWarning(message, { code: "TRAILCHECK_LEDGER" });
}

/**
 * Opens (or creates) a write-ahead ledger: the sealed-log layout `trailcheck verify` checks, one JSON
 * record per line. A torn last record left by a crash is cut, reported through `onRecovered` and
 * recorded as a `ledger.recovered` record — never silently accepted.
 */
export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  await makeFolder(options.dir);
  const lock = takeWriterLock(options.dir, `the ledger ${options.dir}`);
  try {
    return await openLocked(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openLocked(options: LedgerOptions, lock: WriterLock): Promise<Ledger> {
  const clock = options.clock ?? (() => new Date());
  const privateKey = typeof options.key === "string" ? parsePrivateKey(options.key) : options.key;
  const origin = options.origin ?? "trailcheck-ledger";
  const recordArguments = argumentsRecorder(options.redact, options.profile);
  const { state, recovery } = await recoverLedgerDir(options.dir, {
    ...(privateKey ? { privateKey } : {}),
    origin,
    checkpointEvery: options.checkpointEvery ?? 1000,
    now: clock(),
  });
  const writer = new LedgerWriter(
    {
      dir: options.dir,
      sync: options.sync ?? "always",
      syncIntervalMs: options.syncIntervalMs ?? 100,
      ...(privateKey
        ? {
            signer: {
              key: signingKey(origin, privateKey),
              cadence: { records: options.checkpointEvery ?? 1000, intervalMs: options.heartbeatMs ?? 0 },
            },
          }
        : {}),
      segmentRecords: options.segmentRecords ?? 100_000,
      clock,
      onError: options.onError ?? ((error) => warn(`ledger ${options.dir}: ${error.message}`)),
    },
    state,
  );

  // Calls whose arguments were redacted, until their end: the error they may end with is redacted too.
  const redactedCalls = new Set<string>();
  const append = (record: LedgerRecord): Promise<void> => {
    let line: string;
    try {
      if (record.type === "tool-call.start" && "arguments" in record) {
        const { arguments: args, at, ...head } = record;
        const recorded = recordArguments(record.toolName, args);
        if ("argumentsSha256" in recorded) redactedCalls.add(record.callId);
        line = JSON.stringify({ ...head, ...recorded, at });
      } else if (
        record.type === "tool-call.end" &&
        redactedCalls.delete(record.callId) &&
        record.error !== undefined
      ) {
        const { error, at, ...head } = record;
        line = JSON.stringify({ ...head, errorSha256: sha256Hex(error), at });
      } else {
        line = JSON.stringify(record);
      }
    } catch (error) {
      return Promise.reject(new Error(`the record cannot be written as JSON: ${(error as Error).message}`));
    }
    return writer.append(line);
  };

  let recovered: LedgerRecovered | undefined;
  if (recovery) {
    recovered = { type: "ledger.recovered", at: clock().toISOString(), ...recovery };
    await append(recovered);
    (
      options.onRecovered ??
      ((r) => warn(`ledger ${options.dir}: repaired after a crash: ${JSON.stringify(r)}`))
    )(recovered);
  }
  // The opening checkpoint seals what the ledger held when it was (re)opened.
  await writer.checkpoint();

  return {
    dir: options.dir,
    get size() {
      return writer.size;
    },
    ...(recovered ? { recovered } : {}),
    append,
    recordArguments,
    checkpoint: () => writer.checkpoint(),
    close: () => writer.close().finally(() => lock.release()),
  };
}
