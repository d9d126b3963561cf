import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { fileSystemError, InputError } from "../errors.js";
import { checkInputFile, readInputBytes } from "../files/read-input.js";
import { MAX_CHECKPOINT_BYTES } from "./checkpoint.js";
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

/** A sealed log directory as read from disk, records and all, before any judgement. */
export interface LogStore {
  readonly segments: readonly StoredSegment[];
  readonly checkpoints: readonly StoredCheckpoint[];
  /** Files that are not part of the layout (or leaf index files without their segment). */
  readonly unexpected: readonly string[];
}

/** A log directory's layout: where its segments are, its checkpoints read, and what does not belong. */
export interface LogLayout {
  /** Segments by start, each with the path of its leaf index file when there is one. */
  readonly segments: readonly { readonly file: string; readonly start: number; readonly index?: string }[];
  readonly checkpoints: readonly StoredCheckpoint[];
  readonly unexpected: readonly string[];
}

/** Lists and classifies a log directory's files and reads its checkpoints; segments are left unread. */
export async function scanLogDir(dir: string): Promise<LogLayout> {
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
  const segments: { file: string; start: number; index?: string }[] = [];
  const checkpoints: StoredCheckpoint[] = [];
  const unexpected: string[] = [];
  for (const file of files) {
    const entry = classifyStoreFile(file);
    if (entry?.type === "segment") {
      const index = leavesFile(entry.start);
      segments.push({ file, start: entry.start, ...(present.has(index) ? { index } : {}) });
    } else if (entry?.type === "checkpoint") {
      checkpoints.push({ file, seq: entry.seq, text: await readCheckpointText(join(dir, file)) });
    } else if (entry?.type === "leaves") {
      if (!present.has(file.replace(/\.leaves$/, ".jsonl"))) unexpected.push(file);
    } else if (entry?.type !== "writer-lock") {
      unexpected.push(file);
    }
  }
  segments.sort((a, b) => a.start - b.start);
  checkpoints.sort((a, b) => a.seq - b.seq);
  return { segments, checkpoints, unexpected };
}

/**
 * Reads a sealed log directory with every record in memory, for readers that need the records
 * themselves (the guard's ledger). Verification needs only their hashes: readHashedStore streams.
 */
export async function readLogStore(dir: string): Promise<LogStore> {
  const layout = await scanLogDir(dir);
  const segments: StoredSegment[] = [];
  for (const seg of layout.segments) {
    const lines = splitLines(await readInputBytes(join(dir, seg.file), "a segment of the log"));
    const leaves = seg.index
      ? parseLeaves(
          (await readInputBytes(join(dir, seg.index), "a leaf index of the log")).toString("latin1"),
        )
      : undefined;
    segments.push({ file: seg.file, start: seg.start, lines, leaves });
  }
  return { segments, checkpoints: layout.checkpoints, unexpected: layout.unexpected };
}

/** One buffer for every checkpoint read: MAX_CHECKPOINT_BYTES and one byte more, to tell an oversized file. */
const checkpointBuffer = Buffer.allocUnsafe(MAX_CHECKPOINT_BYTES + 1);

/**
 * A checkpoint file's text; of an oversized one, enough to tell (openCheckpoint rejects it). Read
 * synchronously: a log holds hundreds of these few-hundred-byte files, and a promise round trip per
 * file costs far more than the read itself. Opened without blocking, so a FIFO planted under a
 * checkpoint's name is refused (as checkInputFile refuses it) rather than waited on.
 */
async function readCheckpointText(path: string): Promise<string> {
  const what = "a checkpoint of the log";
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fileSystemError(err, `cannot read ${what}`) ?? err;
  }
  let regular: boolean;
  try {
    regular = fstatSync(fd).isFile();
    if (regular) {
      const bytesRead = readSync(fd, checkpointBuffer, 0, checkpointBuffer.length, 0);
      return checkpointBuffer.toString("utf8", 0, bytesRead);
    }
  } catch (err) {
    throw fileSystemError(err, `cannot read ${what}`) ?? err;
  } finally {
    closeSync(fd);
  }
  await checkInputFile(path, what); // says what the path is instead
  throw new InputError("not-a-file", `${what} is not a regular file`, { file: path });
}
