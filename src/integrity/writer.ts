import { createPublicKey, type KeyObject } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { appendSynced } from "../files/append-synced.js";
import { writeFileAtomic, writeFilesAtomic } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";
import { type Cadence, checkpointTime, openCheckpoint, signCheckpoint } from "./checkpoint.js";
import { CompactRange } from "./compact-range.js";
import type { Finding } from "./findings.js";
import { hashAt, LEAF, recordEnd } from "./hash.js";
import { type SigningKey, signingKey } from "./keys.js";
import { LeafLines, packedLeavesBytes } from "./leaves-file.js";
import { countOf } from "./packed-digests.js";
import { type LogLayout, scanLogDir } from "./read-store.js";
import { encodeLines } from "./record-bytes.js";
import { RESUMABLE, recordsAfterClose } from "./resume-policy.js";
import { removeStaleTemps } from "./stale-temps.js";
import {
  CHECKPOINTS_DIR,
  checkpointFile,
  leavesFile,
  SEGMENTS_DIR,
  segmentFile,
  WRITER_LOCK,
} from "./store-layout.js";
import { mendLastSegment } from "./torn-tail.js";
import { takeWriterLock, type WriterLock } from "./writer-lock.js";

export interface SealedLogWriterOptions {
  /** The log directory; created if missing, resumed if it already holds a sealed log. */
  readonly dir: string;
  /** Ed25519 private key (`trailcheck keygen`). */
  readonly privateKey: KeyObject;
  /** Names the log in every checkpoint, e.g. `example.com/agent-audit`; also the key name. */
  readonly origin: string;
  /** Publish a checkpoint after this many records (0: only on the timer and on close). Default 1000. */
  readonly checkpointEvery?: number;
  /** Publish a checkpoint at least this often, a heartbeat if nothing happened (0: none). Default 60 s. */
  readonly heartbeatMs?: number;
  /** Start a new segment file after this many records. Default 100 000. */
  readonly segmentRecords?: number;
  /** Run the heartbeat timer (default true when heartbeatMs > 0); tests call `checkpoint()` instead. */
  readonly timer?: boolean;
  /** The clock written into checkpoints. */
  readonly clock?: () => Date;
  /** A heartbeat that fails (disk full, permissions) lands here; default: a process warning. */
  readonly onError?: (error: Error) => void;
}

/**
 * Appends records to a sealed log: JSON lines in segment files, a leaf index beside them, and a
 * signed checkpoint at the cadence it promises (signed into every checkpoint). Calls are queued, so
 * concurrent appends keep their order. Records reach disk before any checkpoint covers them.
 */
export class SealedLogWriter {
  private readonly range = new CompactRange();
  /** The leaf index lines of the step being written (reused: a step's write finishes before the next). */
  private readonly leafLines = new LeafLines();
  private segmentStart = 0;
  private segmentCount = 0;
  private seq = 0;
  /** Tree size of the newest checkpoint published or due; the record cadence counts from here. */
  private checkpointedSize = 0;
  /** The newest checkpoint's time: the next one is never dated before it. */
  private checkpointedAt: Date | undefined;
  /**
   * Records after checkpointedSize by which the next checkpoint is due: the cadence, except after a
   * resume, where the newest checkpoint's own signed promise holds until the next one if it is shorter.
   */
  private dueEvery: number;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Held from open to close: a second writer of the same log is refused (writer-lock.ts). */
  private lock: WriterLock | undefined;
  private readonly cadence: Cadence;
  private readonly segmentRecords: number;
  private readonly clock: () => Date;
  private readonly key: SigningKey;

  private constructor(private readonly options: SealedLogWriterOptions) {
    this.cadence = { records: options.checkpointEvery ?? 1000, intervalMs: options.heartbeatMs ?? 60_000 };
    this.dueEvery = this.cadence.records;
    this.segmentRecords = options.segmentRecords ?? 100_000;
    this.clock = options.clock ?? (() => new Date());
    this.key = signingKey(options.origin, options.privateKey);
  }

  static async open(options: SealedLogWriterOptions): Promise<SealedLogWriter> {
    const writer = new SealedLogWriter(options);
    try {
      await writer.resume();
    } catch (error) {
      writer.lock?.release();
      throw error;
    }
    if (writer.cadence.intervalMs > 0 && options.timer !== false) {
      writer.timer = setInterval(
        () =>
          void writer.checkpoint().catch(options.onError ?? ((error: Error) => process.emitWarning(error))),
        writer.cadence.intervalMs,
      );
      writer.timer.unref();
    }
    return writer;
  }

  /** Number of records in the log. */
  get size(): number {
    return this.range.size;
  }

  /** Appends one record (a JSON object, or a line of JSON text holding one); on disk when it resolves. */
  append(record: object | string): Promise<void> {
    return this.appendMany([record]);
  }

  /** Appends records in order; one queue entry for the whole batch, written and synced in large steps. */
  appendMany(records: Iterable<object | string>): Promise<void> {
    const lines: string[] = [];
    for (const r of records) lines.push(typeof r === "string" ? r : JSON.stringify(r));
    if (lines.some((line) => line.includes("\n"))) {
      return Promise.reject(new Error("a record must be a single line of JSON"));
    }
    return this.enqueue(async () => {
      this.assertOpen();
      // Encoded a few megabytes at a time; appendToSegment then cuts steps and segments.
      for (let at = 0; at < lines.length; ) {
        let end = at + 1;
        for (
          let chars = lines[at]!.length;
          end < lines.length && chars + lines[end]!.length <= STEP_BYTES;
          end++
        ) {
          chars += lines[end]!.length;
        }
        const bytes = encodeLines(lines, at, end);
        for (let p = 1; p < bytes.length; ) p = await this.appendToSegment(bytes, p, bytes.length);
        at = end;
      }
    });
  }

  /**
   * Appends records already encoded as a segment holds them: buf[from, to) is whole lines, each a
   * record followed by a newline, and buf[from − 1] exists (it is borrowed while hashing, see hashAt).
   * Nothing is copied: the bytes must stay as they are until the promise resolves.
   */
  appendEncoded(buf: Buffer, from: number, to: number): Promise<void> {
    if (from < 1 || to > buf.length || from > to || (to > from && buf[to - 1] !== 0x0a)) {
      return Promise.reject(new RangeError("appendEncoded takes whole lines after a spare byte"));
    }
    return this.enqueue(async () => {
      this.assertOpen();
      for (let at = from; at < to; ) at = await this.appendToSegment(buf, at, to);
    });
  }

  /** Writes pending records and publishes a checkpoint now (the heartbeat uses this). Returns its path. */
  checkpoint(): Promise<string> {
    return this.enqueue(() => {
      this.assertOpen();
      return this.publish([this.snapshot()], false);
    });
  }

  /** Publishes the final checkpoint and stops the heartbeat. Returns the final checkpoint's path. */
  close(): Promise<string> {
    if (this.timer) clearInterval(this.timer);
    return this.enqueue(async () => {
      this.assertOpen();
      const path = await this.publish([this.snapshot()], true);
      this.closed = true;
      return path;
    }).finally(() => this.lock?.release());
  }

  /**
   * Lets the log go without a final checkpoint (a caller that decided not to extend it after all, or
   * failed): stops the heartbeat and gives up the writer lock. Later appends are refused.
   */
  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.closed = true;
    this.lock?.release();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the sealed log writer is closed");
  }

  /**
   * One step: hashes the records of buf[from, to) where they lie (hashAt) until the segment is full
   * or the step is large enough, appends them to the current segment and its leaf index — both files
   * written and synced once, together — and only then publishes the checkpoints that fell due inside
   * the step: records reach disk before any checkpoint covers them. Returns where the step ended.
   */
  private async appendToSegment(buf: Buffer, from: number, to: number): Promise<number> {
    const room = this.segmentRecords - this.segmentCount;
    const leaves = this.leafLines;
    leaves.reset();
    const due: Snapshot[] = [];
    let end = from;
    for (let n = 0; end < to && n < room && end - from < STEP_BYTES; n++) {
      const nl = recordEnd(buf, end, to);
      const leaf = hashAt(buf, end, nl, LEAF, "binary");
      leaves.add(leaf);
      this.range.appendRaw(leaf);
      if (this.isDue()) due.push(this.markDue());
      end = nl + 1;
    }
    this.segmentCount += leaves.count;
    await Promise.all([
      appendSynced(join(this.options.dir, segmentFile(this.segmentStart)), buf.subarray(from, end)),
      appendSynced(join(this.options.dir, leavesFile(this.segmentStart)), leaves.bytes()),
    ]);
    if (this.segmentCount >= this.segmentRecords) this.rollOver();
    if (due.length > 0) await this.publish(due, false);
    return end;
  }

  private rollOver(): void {
    this.segmentStart = this.range.size;
    this.segmentCount = 0;
  }

  private snapshot(): Snapshot {
    return { size: this.range.size, root: this.range.root() };
  }

  /** Whether the record cadence owes a checkpoint at the present size. */
  private isDue(): boolean {
    return this.dueEvery > 0 && this.range.size - this.checkpointedSize >= this.dueEvery;
  }

  /** The snapshot of a checkpoint that fell due; the cadence counts from it. */
  private markDue(): Snapshot {
    this.checkpointedSize = this.range.size;
    this.dueEvery = this.cadence.records;
    return this.snapshot();
  }

  /**
   * Signs a checkpoint for each snapshot, the last one `final` if asked, and writes them all at once
   * (writeFilesAtomic: one round of syncs, renamed in order). Returns the last one's path.
   */
  private async publish(snapshots: readonly Snapshot[], final: boolean): Promise<string> {
    const files = snapshots.map(({ size, root }, i) => {
      this.seq += 1;
      this.checkpointedAt = checkpointTime(this.clock(), this.checkpointedAt);
      const text = signCheckpoint(
        {
          origin: this.options.origin,
          size,
          root,
          time: this.checkpointedAt,
          seq: this.seq,
          cadence: this.cadence,
          final: final && i === snapshots.length - 1,
        },
        this.key,
      );
      return { path: join(this.options.dir, checkpointFile(this.seq)), data: text };
    });
    await writeFilesAtomic(files);
    this.checkpointedSize = Math.max(this.checkpointedSize, snapshots[snapshots.length - 1]!.size);
    this.dueEvery = this.cadence.records;
    return files[files.length - 1]!.path;
  }

  /**
   * Picks up an existing log. It is verified first: signing new checkpoints over records that were
   * altered while the writer was down would launder the tampering. Downtime itself (a late
   * heartbeat) and a tail written just before a crash are expected and accepted.
   */
  private async resume(): Promise<void> {
    const { dir } = this.options;
    await refuseForeignFolder(dir);
    await makeFolder(dir);
    try {
      this.lock = takeWriterLock(dir, "it");
    } catch (error) {
      throw new LogRefusal(dir, (error as Error).message);
    }
    await makeFolder(join(dir, SEGMENTS_DIR));
    await makeFolder(join(dir, CHECKPOINTS_DIR));
    await removeStaleTemps(dir);
    // A new log is the usual case: the verifier is loaded only for a log that holds something.
    const layout = await scanLogDir(dir);
    if (layout.segments.length === 0 && layout.checkpoints.length === 0) return;
    if (await neverWritten(dir, layout)) return;
    const [{ readHashedStore }, { verifyHashedStore }] = await Promise.all([
      import("./read-hashed-store.js"),
      import("./verify-log.js"),
    ]);
    const store = await readHashedStore(dir, layout);
    const publicKey = createPublicKey(this.options.privateKey);
    const result = verifyHashedStore(store, publicKey, { now: this.clock() });
    // Records past the newest checkpoint were never sealed: a crash may have torn them, nothing can vouch.
    const sealed =
      result.findings.find((f) => f.kind === "uncovered-records")?.index ?? Number.POSITIVE_INFINITY;
    const blocking = result.findings.filter((f) => !RESUMABLE.has(f.kind) && !((f.index ?? -1) >= sealed));
    if (blocking.length > 0) throw new LogRefusal(dir, refusal(blocking, store.checkpoints.length === 0));
    const newest = store.checkpoints.at(-1);
    const opened = newest ? openCheckpoint(newest.text, publicKey) : undefined;
    if (opened?.ok && opened.checkpoint.origin !== this.options.origin) {
      throw new LogRefusal(
        dir,
        `it is the log ${opened.checkpoint.origin}; it cannot be extended as ${this.options.origin}`,
      );
    }
    const afterClose = opened?.ok ? recordsAfterClose(opened.checkpoint, result.stats.records) : undefined;
    if (afterClose) throw new LogRefusal(dir, `refusing to extend this log: ${afterClose}`);
    const newestSigned = opened?.ok ? opened.checkpoint : undefined;
    const covered = newestSigned?.size ?? 0;
    this.checkpointedAt = newestSigned?.time;
    const segments = [...store.segments];
    const lastAt = segments.length - 1;
    if (lastAt >= 0) {
      segments[lastAt] = await mendLastSegment(dir, segments[lastAt]!, covered, (m) =>
        process.emitWarning(m),
      );
    }
    this.seq = store.checkpoints.reduce((m, c) => Math.max(m, c.seq), 0);
    this.checkpointedSize = covered;
    this.dueEvery = shorterCadence(newestSigned?.cadence.records ?? 0, this.cadence.records);
    // Records a crash left past the newest checkpoint get the checkpoints the cadence owes them, where
    // a writer that had not stopped would have published them.
    const owed: Snapshot[] = [];
    for (const seg of segments) {
      const count = countOf(seg.records);
      const sealed = Math.min(count, Math.max(0, covered - this.range.size));
      this.range.appendPacked(seg.records, 0, sealed);
      for (let i = sealed; i < count; i++) {
        this.range.appendPacked(seg.records, i, i + 1);
        if (this.isDue()) owed.push(this.markDue());
      }
      this.segmentStart = seg.start;
      this.segmentCount = count;
    }
    const last = segments[lastAt];
    if (last && !(Buffer.isBuffer(last.index) && last.index.equals(last.records))) {
      // A crash between the segment append and the index append: rebuild the index from the records.
      await writeFileAtomic(join(dir, leavesFile(last.start)), packedLeavesBytes(last.records));
    }
    if (owed.length > 0) await this.publish(owed, false);
    if (this.segmentCount >= this.segmentRecords) this.rollOver();
  }
}

/**
 * The record cadence of the first interval after a resume: the newest checkpoint promised the next
 * within its own cadence, which a writer with a longer one must still keep (0 promises nothing).
 */
function shorterCadence(signed: number, mine: number): number {
  return signed > 0 && (mine === 0 || signed < mine) ? signed : mine;
}

/** A tree size and its root, taken when a checkpoint falls due. */
interface Snapshot {
  readonly size: number;
  readonly root: Buffer;
}

/** Bytes (or characters) of records hashed and written per step of a large append: bounds its memory and syncs. */
const STEP_BYTES = 8 * 1024 * 1024;

/**
 * The writer will not extend the log in `dir`. The message names the folder, so that it stands alone
 * wherever the writer is used (the span exporter); `reason` is the same without the folder, for a caller
 * that names the folder itself (the seal verb's error line).
 */
export class LogRefusal extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`${dir}: ${reason}`);
  }
}

/**
 * Why a log cannot be extended. Records with no checkpoint at all are what a writer stopped before
 * its first checkpoint leaves: nothing vouches that they are as written, so they are not sealed now.
 */
function refusal(blocking: readonly Finding[], noCheckpoints: boolean): string {
  const list = (findings: readonly Finding[]) => findings.map((f) => `${f.kind}: ${f.message}`).join("; ");
  if (!noCheckpoints) return `refusing to extend this log, it fails verification (${list(blocking)})`;
  const others = blocking.filter((f) => f.kind !== "no-checkpoint");
  return (
    `refusing to extend this log: it holds records in ${SEGMENTS_DIR}/ but no checkpoint in ${CHECKPOINTS_DIR}/, ` +
    "so nothing vouches that they are as written (the writer stopped before its first checkpoint)" +
    (others.length > 0 ? `; it also fails verification (${list(others)})` : "")
  );
}

/**
 * A folder that holds other files and no log is not one to start a log in: the log would fail
 * verification at once (every file of the folder is unexpected-file) and its files would be mixed with
 * the folder's own. Checked before anything is created in it. A missing or empty folder is fine, and a
 * folder with a log's folders is left to verification.
 */
async function refuseForeignFolder(dir: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name !== WRITER_LOCK);
  } catch {
    return; // missing (created next), or not a folder (making its subfolders says so)
  }
  if (names.includes(SEGMENTS_DIR) || names.includes(CHECKPOINTS_DIR) || names.length === 0) return;
  const shown = names.sort().slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "");
  throw new LogRefusal(
    dir,
    `it holds files that are not part of a sealed log (${shown}); a new log needs a new or empty folder`,
  );
}

/**
 * A writer killed after creating its first files and before writing to them leaves empty files and
 * nothing else: no record was ever written, so there is nothing to vouch for and the log starts anew.
 * The empty files are removed (an append re-creates them), so no stray empty segment stays behind.
 */
async function neverWritten(dir: string, layout: LogLayout): Promise<boolean> {
  if (layout.checkpoints.length > 0 || layout.unexpected.length > 0) return false;
  const files = layout.segments.flatMap((seg) => (seg.index ? [seg.file, seg.index] : [seg.file]));
  // Only empty regular files: anything else (a FIFO, a folder) is left for verification to refuse.
  const stats = await Promise.all(files.map((file) => stat(join(dir, file))));
  if (!stats.every((s) => s.isFile() && s.size === 0)) return false;
  for (const file of files) await rm(join(dir, file), { force: true });
  return true;
}
