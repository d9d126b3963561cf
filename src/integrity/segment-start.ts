import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { SEGMENTS_DIR } from "./store-layout.js";

/** How much of the first segment is read to find its first line: a record longer than this has no line here. */
const FIRST_READ_BYTES = 64 * 1024;

/**
 * What a log's first segment starts with, for telling which kind of log a folder holds without reading
 * it: no segment at all, an empty segment (a log opened with nothing appended yet), or its first line —
 * undefined when the first 64 KiB end before a line does (a torn or oversized first record).
 */
export type SegmentStart =
  | { readonly kind: "no-segment" }
  | { readonly kind: "empty" }
  | { readonly kind: "line"; readonly line: string | undefined };

/** Reads at most 64 KiB of the first segment; an unreadable segment rejects with the file system's error. */
export async function readSegmentStart(dir: string): Promise<SegmentStart> {
  const names = await readdir(join(dir, SEGMENTS_DIR)).catch(() => [] as string[]);
  const first = names.filter((n) => n.endsWith(".jsonl")).sort()[0];
  if (first === undefined) return { kind: "no-segment" };
  const handle = await open(join(dir, SEGMENTS_DIR, first), "r");
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(FIRST_READ_BYTES), position: 0 });
    if (bytesRead === 0) return { kind: "empty" };
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    const end = text.indexOf("\n");
    return { kind: "line", line: end < 0 ? undefined : text.slice(0, end) };
  } finally {
    await handle.close();
  }
}
