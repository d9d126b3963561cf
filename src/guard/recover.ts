import { createPublicKey, type KeyObject } from "node:crypto";
import { truncate } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";
import { type Checkpoint, openCheckpoint } from "../integrity/checkpoint.js";
import { CompactRange } from "../integrity/compact-range.js";
import type { Finding } from "../integrity/findings.js";
import { leafDigest } from "../integrity/hash.js";
import { formatLeaves } from "../integrity/leaves-file.js";
import type { LogStore } from "../integrity/read-store.js";
import { RESUMABLE, recordsAfterClose } from "../integrity/resume-policy.js";
import { removeStaleTemps } from "../integrity/stale-temps.js";
import { CHECKPOINTS_DIR, leavesFile, SEGMENTS_DIR } from "../integrity/store-layout.js";
import { verifyLogStore } from "../integrity/verify-log.js";
import { sha256Hex } from "./digest.js";
import { inspectLedger, type LedgerInspection } from "./inspect.js";
import type { Snapshot, WriterState } from "./ledger-writer.js";
import { recordFindings, structureFindings } from "./read-ledger.js";
import { readLedgerStore } from "./read-store.js";
import type { LedgerRecovered } from "./records.js";

/** What reopening found and repaired, before it is written into the ledger as a record. */
export type Recovery = Omit<LedgerRecovered, "type" | "at">;

export interface RecoverOptions {
  /** The signing key, for a signed ledger: checkpoints are verified before the ledger is extended. */
  readonly privateKey?: KeyObject;
  readonly origin: string;
  /** The signed record cadence: records a crash left uncovered get the checkpoints it promises. */
  readonly checkpointEvery: number;
  readonly now: Date;
}

/** The newest correctly signed checkpoint: nothing before its size may be repaired. */
function newestSigned(store: LogStore, publicKey: KeyObject): Checkpoint | undefined {
  for (const cp of [...store.checkpoints].reverse()) {
    const opened = openCheckpoint(cp.text, publicKey);
    if (opened.ok) return opened.checkpoint;
  }
  return undefined;
}

function refuse(dir: string, findings: readonly Finding[]): never {
  const list = findings.map((f) => `${f.kind}${f.file ? ` (${f.file})` : ""}: ${f.message}`).join("; ");
  throw new Error(`refusing to extend the ledger ${dir}, it fails verification (${list})`);
}

/** The store with the last segment's leaf index rewritten from its records. */
function withIndex(store: LogStore, stale: LedgerInspection["staleIndex"]): LogStore {
  if (!stale) return store;
  const segments = store.segments.map((seg) =>
    seg.start === stale.start && seg === store.segments.at(-1) ? { ...seg, leaves: [...stale.digests] } : seg,
  );
  return { ...store, segments };
}

/**
 * Opens a ledger directory for writing: creates it, or verifies what is there and repairs what a
 * crash leaves at the end — a torn last record is cut, a leaf index that lags or runs ahead of its
 * records is rebuilt — and reports it. Damage anywhere else, or records a signed checkpoint vouches
 * for, is never repaired: the ledger refuses to be extended and the caller gets the findings.
 */
export async function recoverLedgerDir(
  dir: string,
  options: RecoverOptions,
): Promise<{ state: WriterState; recovery?: Recovery }> {
  await makeFolder(join(dir, SEGMENTS_DIR));
  await makeFolder(join(dir, CHECKPOINTS_DIR));
  await removeStaleTemps(dir);
  const { store, tail } = await readLedgerStore(dir);
  const inspection = inspectLedger(store, tail);
  const publicKey = options.privateKey ? createPublicKey(options.privateKey) : undefined;

  // Verification sees the ledger as it will be once repaired: a crash's damage at the end is expected.
  const repaired = withIndex(inspection.store, inspection.staleIndex);
  if (inspection.malformed.length > 0) refuse(dir, recordFindings(inspection));
  if (publicKey) {
    const covered = newestSigned(store, publicKey)?.size ?? 0;
    const { findings } = verifyLogStore(repaired, publicKey, { now: options.now });
    const blocking = findings.filter(
      (f) =>
        !RESUMABLE.has(f.kind) &&
        !((f.index ?? -1) >= covered) &&
        !(f.kind === "no-checkpoint" && store.checkpoints.length === 0),
    );
    if (blocking.length > 0) refuse(dir, blocking);
    const newest = store.checkpoints.at(-1);
    const opened = newest ? openCheckpoint(newest.text, publicKey) : undefined;
    if (opened?.ok && opened.checkpoint.origin !== options.origin) {
      throw new Error(
        `${dir} is the ledger ${opened.checkpoint.origin}; it cannot be extended as ${options.origin}`,
      );
    }
    const records = repaired.segments.reduce((n, seg) => n + seg.lines.length, 0);
    const afterClose = opened?.ok ? recordsAfterClose(opened.checkpoint, records) : undefined;
    if (afterClose) throw new Error(`refusing to extend the ledger ${dir}: ${afterClose}`);
  } else {
    if (store.checkpoints.length > 0) {
      throw new Error(`${dir} is a signed ledger (it holds checkpoints); open it with its key`);
    }
    const findings = structureFindings(repaired);
    if (findings.length > 0) refuse(dir, findings);
  }

  const last = inspection.store.segments.at(-1);
  let recovery: Recovery | undefined;
  if (last && (inspection.torn || inspection.lost > 0)) {
    const torn = inspection.torn;
    recovery = {
      file: last.file,
      ...(torn
        ? { torn: { offset: torn.offset, bytes: torn.bytes.length, sha256: sha256Hex(torn.bytes) } }
        : {}),
      ...(inspection.lost > 0 ? { lost: inspection.lost } : {}),
    };
    if (torn) await truncate(join(dir, torn.file), torn.offset);
  }
  if (inspection.staleIndex) {
    const { start, digests } = inspection.staleIndex;
    await writeFileAtomic(join(dir, leavesFile(start)), formatLeaves(digests));
  }

  const signed = publicKey ? newestSigned(store, publicKey) : undefined;
  const sealed = signed?.size ?? 0;
  const range = new CompactRange();
  const backlog: Snapshot[] = [];
  for (const seg of inspection.store.segments) {
    for (const line of seg.lines) {
      range.appendDigest(leafDigest(line));
      const since = backlog.at(-1)?.size ?? sealed;
      if (publicKey && options.checkpointEvery > 0 && range.size - since >= options.checkpointEvery) {
        backlog.push({ size: range.size, root: range.root() });
      }
    }
  }
  return {
    state: {
      range,
      segmentStart: last?.start ?? 0,
      segmentCount: last?.lines.length ?? 0,
      segmentBytes: last?.lines.reduce((n, l) => n + l.length + 1, 0) ?? 0,
      seq: store.checkpoints.reduce((m, c) => Math.max(m, c.seq), 0),
      checkpointedSize: sealed,
      ...(signed ? { checkpointedAt: signed.time } : {}),
      backlog,
    },
    ...(recovery ? { recovery } : {}),
  };
}
