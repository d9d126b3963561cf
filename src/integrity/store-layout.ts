/**
 * Where a sealed log keeps its files. Segment names carry the index of their first record, so a
 * deleted segment leaves a visible hole; checkpoint names carry their sequence number, so a deleted
 * or replaced checkpoint does too.
 *
 *   segments/000000000000.jsonl    records, one JSON object per line (append-only)
 *   segments/000000000000.leaves   hex leaf hash per record: lets the verifier say which record changed
 *   checkpoints/00000001.checkpoint signed checkpoints, each written once (temp file + rename)
 *   writer.lock                    while a writer has the log open: its process (not part of the log)
 */
export const SEGMENTS_DIR = "segments";
export const CHECKPOINTS_DIR = "checkpoints";
export const WRITER_LOCK = "writer.lock";

const SEGMENT = /^(\d{12})\.jsonl$/;
const LEAVES = /^(\d{12})\.leaves$/;
const CHECKPOINT = /^(\d{8})\.checkpoint$/;

export function segmentFile(start: number): string {
  return `${SEGMENTS_DIR}/${String(start).padStart(12, "0")}.jsonl`;
}

export function leavesFile(start: number): string {
  return `${SEGMENTS_DIR}/${String(start).padStart(12, "0")}.leaves`;
}

export function checkpointFile(seq: number): string {
  return `${CHECKPOINTS_DIR}/${String(seq).padStart(8, "0")}.checkpoint`;
}

/** What a file name in the store means, or undefined for a file that does not belong there. */
export type StoreEntry =
  | { readonly type: "segment"; readonly start: number }
  | { readonly type: "leaves"; readonly start: number }
  | { readonly type: "checkpoint"; readonly seq: number }
  | { readonly type: "writer-lock" };

export function classifyStoreFile(relativePath: string): StoreEntry | undefined {
  if (relativePath === WRITER_LOCK) return { type: "writer-lock" };
  const [dir, name, ...rest] = relativePath.split("/");
  if (rest.length > 0 || name === undefined) return undefined;
  if (dir === SEGMENTS_DIR) {
    const seg = SEGMENT.exec(name);
    if (seg) return { type: "segment", start: Number(seg[1]) };
    const leaves = LEAVES.exec(name);
    if (leaves) return { type: "leaves", start: Number(leaves[1]) };
  }
  if (dir === CHECKPOINTS_DIR) {
    const cp = CHECKPOINT.exec(name);
    if (cp && Number(cp[1]) > 0) return { type: "checkpoint", seq: Number(cp[1]) };
  }
  return undefined;
}

/** Splits file bytes into records: every `\n` ends one; bytes after the last `\n` are a torn record. */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let from = 0;
  for (let nl = bytes.indexOf(0x0a, from); nl >= 0; nl = bytes.indexOf(0x0a, from)) {
    lines.push(bytes.subarray(from, nl));
    from = nl + 1;
  }
  if (from < bytes.length) lines.push(bytes.subarray(from));
  return lines;
}
