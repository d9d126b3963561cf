import type { KeyObject } from "node:crypto";
import { openCheckpoint } from "./checkpoint.js";
import type { Digest } from "./hash.js";
import { countOf, digestAt } from "./packed-digests.js";
import { readHashedStore } from "./read-hashed-store.js";
import { scanLogDir } from "./read-store.js";

/** Records a writer added after a log's newest final checkpoint and never closed. */
export interface OpenTail {
  /** Index of the first of them: the size of the newest final checkpoint (0 without one). */
  readonly from: number;
  /** Their leaf hashes, in order. */
  readonly leaves: readonly Digest[];
}

/**
 * What a writer that stopped without closing the log left after its newest final checkpoint, or
 * undefined when the log's newest checkpoint is final (nothing is open). `seal` into such a log
 * tells an interrupted seal of the same file, run again, from something else: its records are then
 * the start of that file. Reads the log's hashes, not its records, and only when it is open. The log
 * has just been verified.
 */
export async function openTail(dir: string, publicKey: KeyObject): Promise<OpenTail | undefined> {
  // The checkpoints first: a closed log (the usual case) needs no second pass over its records.
  const layout = await scanLogDir(dir);
  const signed = layout.checkpoints.flatMap((cp) => {
    const opened = openCheckpoint(cp.text, publicKey);
    return opened.ok ? [opened.checkpoint] : [];
  });
  if (signed.at(-1)?.final) return undefined;
  const store = await readHashedStore(dir, layout);
  const from = signed.findLast((cp) => cp.final)?.size ?? 0;
  const leaves: Digest[] = [];
  for (const seg of store.segments) {
    const count = countOf(seg.records);
    for (let i = Math.max(0, from - seg.start); i < count; i++) leaves.push(digestAt(seg.records, i));
  }
  return leaves.length > 0 ? { from, leaves } : undefined;
}
