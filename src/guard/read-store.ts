import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import type { Digest } from "../integrity/hash.js";
import { parseLeaves } from "../integrity/leaves-file.js";
import { type LogStore, readLogStore } from "../integrity/read-store.js";
import { readSegmentStart } from "../integrity/segment-start.js";
import { leavesFile, splitLines } from "../integrity/store-layout.js";
import type { LedgerTail } from "./inspect.js";
import { parseLedgerLine } from "./records.js";

/**
 * A ledger directory as read from disk: the sealed-log store plus what its tail looks like. The last
 * segment is read once more on its own so that its lines and whether it ends with a line end come
 * from the same read, even while a writer appends.
 */
export async function readLedgerStore(dir: string): Promise<{ store: LogStore; tail: LedgerTail }> {
  const store = await readLogStore(dir);
  const last = store.segments.at(-1);
  if (!last) return { store, tail: { complete: true } };
  const bytes = await readFile(join(dir, last.file));
  const complete = bytes.length === 0 || bytes[bytes.length - 1] === 0x0a;
  let leaves: Digest[] | undefined;
  if (last.leaves !== undefined && !Array.isArray(last.leaves)) {
    // A crash can tear the index's last line too; the complete lines before it still count.
    const text = await readFile(join(dir, leavesFile(last.start)), "latin1").catch(() => "");
    const parsed = parseLeaves(text.slice(0, text.lastIndexOf("\n") + 1));
    if (Array.isArray(parsed)) leaves = parsed;
  }
  const segments = [...store.segments.slice(0, -1), { ...last, lines: splitLines(bytes) }];
  return { store: { ...store, segments }, tail: { complete, ...(leaves ? { leaves } : {}) } };
}

/**
 * Whether a directory holds a ledger rather than some other sealed log, or nothing: its first segment
 * exists (a ledger creates it on open) and its first record, if any, is a ledger record. Reads one line.
 */
export async function isLedgerDir(dir: string): Promise<boolean> {
  const start = await readSegmentStart(dir);
  // An empty first segment: a ledger opened with nothing recorded yet (a signed one has its opening checkpoint).
  if (start.kind !== "line") return start.kind === "empty";
  return start.line !== undefined && parseLedgerLine(start.line) !== undefined;
}

/** Refuses a folder that holds no ledger: reading it would report a valid, empty ledger (exit 2 instead). */
export async function assertLedgerDir(dir: string): Promise<void> {
  if (await isLedgerDir(dir)) return;
  throw new InputError(
    "log-dir",
    "not a guard ledger: no segments/ with ledger records (openLedger writes them; other sealed logs are checked with `trailcheck verify --key`)",
    { file: dir },
  );
}
