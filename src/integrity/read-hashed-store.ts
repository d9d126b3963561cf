import { stat } from "node:fs/promises";
import { join } from "node:path";
import { fileSystemError, InputError } from "../errors.js";
import { checkInputFile, readInputBytes } from "../files/read-input.js";
import { HASH_SIZE } from "./hash.js";
import type { HashedSegment, HashedStore } from "./hashed-store.js";
import { isLeavesOf, type LeavesProblem, parseLeaves } from "./leaves-file.js";
import { countOf, DigestPacker, type PackedDigests, packDigests } from "./packed-digests.js";
import { type LogLayout, scanLogDir } from "./read-store.js";
import { RecordTooLong, readRecordChunks } from "./record-chunks.js";

/**
 * Reads a sealed log directory for verification. Records are not kept: each segment is streamed and
 * hashed as it is read, so memory holds 32 packed bytes per record, not the log. `layout` is the
 * folder as a caller has just scanned it, if it has.
 */
export async function readHashedStore(dir: string, layout?: LogLayout): Promise<HashedStore> {
  layout ??= await scanLogDir(dir);
  const segments: HashedSegment[] = [];
  for (const seg of layout.segments) {
    await checkInputFile(join(dir, seg.file), "a segment of the log");
    const records = await hashSegmentFile(join(dir, seg.file), await expectedCount(dir, seg));
    const index = seg.index ? await readLeafIndex(join(dir, seg.index), records) : undefined;
    segments.push({ file: seg.file, start: seg.start, records, index });
  }
  return { segments, checkpoints: layout.checkpoints, unexpected: layout.unexpected };
}

/**
 * How many records a segment should hold, to size its packed hashes once: its index's line count, but
 * never more than the segment has bytes (each record takes one at least), so a planted index file
 * cannot make the verifier allocate more than the records themselves could need.
 */
async function expectedCount(
  dir: string,
  seg: { file: string; index?: string },
): Promise<number | undefined> {
  if (!seg.index) return undefined;
  try {
    const [index, records] = await Promise.all([stat(join(dir, seg.index)), stat(join(dir, seg.file))]);
    return Math.min(Math.floor(index.size / (2 * HASH_SIZE + 1)), records.size);
  } catch {
    return undefined; // readLeafIndex reports the index's problem
  }
}

/** The leaf hash of every record in a segment file, streamed; `count` sizes the buffer to start with. */
export async function hashSegmentFile(path: string, count?: number): Promise<PackedDigests> {
  const packer = new DigestPacker(count);
  try {
    for await (const { buf, from, to } of readRecordChunks(path)) packer.addLeavesOf(buf, from, to);
  } catch (err) {
    if (err instanceof RecordTooLong) {
      throw new InputError("log-dir", `${err.message}: no writer makes such a record`, { file: path });
    }
    throw fileSystemError(err, "cannot read a segment of the log") ?? err;
  }
  return packer.finish();
}

/**
 * A segment's leaf index. The usual case — the index lists exactly the records' hashes — is one
 * comparison with the records' own index bytes, with no parsing. A file far longer than its segment
 * needs is not read, so a planted multi-gigabyte index cannot exhaust memory.
 */
async function readLeafIndex(path: string, records: PackedDigests): Promise<PackedDigests | LeavesProblem> {
  await checkInputFile(path, "a leaf index of the log");
  const { size } = await stat(path);
  const count = countOf(records);
  if (size > (count + 1) * (2 * HASH_SIZE + 1)) {
    return { problem: `holds ${size} bytes, more than one line for each of the segment's ${count} records` };
  }
  const bytes = await readInputBytes(path, "a leaf index of the log");
  if (isLeavesOf(bytes, records)) return records;
  const parsed = parseLeaves(bytes.toString("latin1"));
  return Array.isArray(parsed) ? packDigests(parsed) : parsed;
}
