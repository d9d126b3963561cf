import { join } from "node:path";
import { InputError } from "../errors.js";
import { readInputBytes } from "../files/read-input.js";
import type { Digest } from "./hash.js";
import { type LeavesProblem, parseLeaves } from "./leaves-file.js";
import { listFiles } from "./list-files.js";
import { classifyStoreFile, leavesFile, splitLines } from "./store-layout.js";

export interface StoredSegment {
  /** Path relative to the log directory. */
  readonly file: string;
  /** Leaf index of the first record, from the file name. */
  readonly start: number;
  readonly lines: readonly Buffer[];
  /** The segment's leaf index file: digests, a reason it is unusable, or undefined when absent. */
  readonly leaves: readonly Digest[] | LeavesProblem | undefined;
}

export interface StoredCheckpoint {
  readonly file: string;
  /** Sequence number from the file name. */
  readonly seq: number;
  readonly text: string;
}

/** A sealed log directory as read from disk, before any judgement. */
export interface LogStore {
  readonly segments: readonly StoredSegment[];
  readonly checkpoints: readonly StoredCheckpoint[];
  /** Files that are not part of the layout (or leaf index files without their segment). */
  readonly unexpected: readonly string[];
}

export async function readLogStore(dir: string): Promise<LogStore> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch {
    throw new InputError(
      "log-dir",
      "cannot read the log directory; pass the directory `seal` or the writer created",
      {
        file: dir,
      },
    );
  }
  const present = new Set(files);
  const segments: StoredSegment[] = [];
  const checkpoints: StoredCheckpoint[] = [];
  const unexpected: string[] = [];
  for (const file of files) {
    const entry = classifyStoreFile(file);
    if (entry?.type === "segment") {
      const bytes = await readInputBytes(join(dir, file), "a segment of the log");
      const leafFile = leavesFile(entry.start);
      const leaves = present.has(leafFile)
        ? parseLeaves(
            (await readInputBytes(join(dir, leafFile), "a leaf index of the log")).toString("latin1"),
          )
        : undefined;
      segments.push({ file, start: entry.start, lines: splitLines(bytes), leaves });
    } else if (entry?.type === "checkpoint") {
      const text = (await readInputBytes(join(dir, file), "a checkpoint of the log")).toString("utf8");
      checkpoints.push({ file, seq: entry.seq, text });
    } else if (entry?.type === "leaves") {
      if (!present.has(file.replace(/\.leaves$/, ".jsonl"))) unexpected.push(file);
    } else {
      unexpected.push(file);
    }
  }
  segments.sort((a, b) => a.start - b.start);
  checkpoints.sort((a, b) => a.seq - b.seq);
  return { segments, checkpoints, unexpected };
}
