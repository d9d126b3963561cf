import { appendFile, open, truncate } from "node:fs/promises";
import { join } from "node:path";
import { HASH_SIZE } from "./hash.js";
import type { HashedSegment } from "./hashed-store.js";
import { countOf } from "./packed-digests.js";

/** Bytes read per step while looking back for a segment's last newline. */
const BLOCK = 64 * 1024;

/**
 * Where a segment's unfinished last record starts: the bytes after its last newline. Every record a
 * writer appends ends with a newline in the same write, so a file that does not end with one was cut
 * by a writer killed (or a machine that lost power) in the middle of an append. Undefined for an empty
 * file or one that ends with a newline. Reads backwards: a record can be megabytes long.
 */
export async function tornTail(path: string): Promise<{ offset: number; bytes: number } | undefined> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const buf = Buffer.allocUnsafe(BLOCK);
    for (let end = size; end > 0; ) {
      const from = Math.max(0, end - BLOCK);
      const { bytesRead } = await handle.read(buf, 0, end - from, from);
      const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) {
        const offset = from + nl + 1;
        return offset === size ? undefined : { offset, bytes: size - offset };
      }
      end = from;
    }
    return size === 0 ? undefined : { offset: 0, bytes: size };
  } finally {
    await handle.close();
  }
}

/**
 * Makes the last segment of a log being resumed end with a newline, so that the next record appended
 * does not join its last line. Bytes past the last newline that no checkpoint covers are a record cut
 * mid-write: they are not whole and nothing vouches for them, so they are cut off (as the guard's
 * ledger cuts its own) and a warning says how many bytes. A last record a checkpoint covers is whole
 * and lacks only its newline (an edit: a writer writes both at once), which is given back. Returns
 * the segment's leaf hashes without the record cut off.
 */
export async function mendLastSegment(
  dir: string,
  seg: HashedSegment,
  covered: number,
  warn: (message: string) => void,
): Promise<HashedSegment> {
  const path = join(dir, seg.file);
  const torn = await tornTail(path);
  if (!torn) return seg;
  const count = countOf(seg.records);
  if (seg.start + count - 1 < covered) {
    await appendFile(path, "\n", { flush: true });
    return seg;
  }
  await truncate(path, torn.offset);
  warn(
    `${dir}: cut ${torn.bytes} byte(s) at the end of ${seg.file}: a record a crash left unfinished, which no checkpoint covered`,
  );
  return { ...seg, records: seg.records.subarray(0, (count - 1) * HASH_SIZE) };
}
