import { closeSync, fdatasync, fdatasyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { writeFileAtomic } from "../files/atomic-write.js";
import { type Cadence, checkpointTime, signCheckpoint } from "../integrity/checkpoint.js";
import type { CompactRange } from "../integrity/compact-range.js";
import { fromDigest, leafDigest } from "../integrity/hash.js";
import type { SigningKey } from "../integrity/keys.js";
import { checkpointFile, leavesFile, segmentFile } from "../integrity/store-layout.js";
import { GroupSync } from "./group-sync.js";

const datasync = promisify(fdatasync);

/** `always`: each record is fdatasync'd before append resolves. `batch`: written before, synced in groups. */
export type SyncMode = "always" | "batch";

export interface LedgerWriterOptions {
  readonly dir: string;
  readonly sync: SyncMode;
  /** With `batch`: the longest a written record waits for its fdatasync. */
  readonly syncIntervalMs: number;
  /** Signs checkpoints at this cadence; without one the ledger has none. */
  readonly signer?: { readonly key: SigningKey; readonly cadence: Cadence };
  readonly segmentRecords: number;
  readonly clock: () => Date;
  /** A failure nobody awaits (batch sync, checkpoint): the ledger refuses appends from then on. */
  readonly onError: (error: Error) => void;
}

/** Where an existing ledger left off, as recovery found it. */
export interface WriterState {
  readonly range: CompactRange;
  readonly segmentStart: number;
  readonly segmentCount: number;
  readonly segmentBytes: number;
  readonly seq: number;
  readonly checkpointedSize: number;
  /** The newest signed checkpoint's time: the next one is never dated before it. */
  readonly checkpointedAt?: Date;
  /** Checkpoints the cadence owes for records a crash left uncovered, oldest first. */
  readonly backlog: readonly Snapshot[];
}

/** A tree size and its root, captured for a checkpoint. */
export interface Snapshot {
  readonly size: number;
  readonly root: Buffer;
}

/**
 * Appends records to a ledger directory in the sealed-log layout (`trailcheck verify` reads it):
 * JSON lines in segment files with their leaf index beside them, and signed checkpoints when a key
 * is given. Unlike the general SealedLogWriter it keeps its files open and syncs in groups, because
 * it sits in front of every tool call: a record costs one write and (with `always`) its share of one
 * fdatasync. Writes are synchronous, so records land in call order and are in the kernel — safe from
 * the agent's own crash — before `append` returns.
 */
export class LedgerWriter {
  private segFd: number;
  private leavesFd: number;
  private segmentStart: number;
  private segmentCount: number;
  private segmentBytes: number;
  private seq: number;
  /** Size of the newest checkpoint captured (maybe not yet published). */
  private scheduledSize: number;
  private checkpointedAt: Date | undefined;
  private readonly group: GroupSync;
  private readonly range: CompactRange;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private publishing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: LedgerWriterOptions,
    state: WriterState,
  ) {
    this.range = state.range;
    this.segmentStart = state.segmentStart;
    this.segmentCount = state.segmentCount;
    this.segmentBytes = state.segmentBytes;
    this.seq = state.seq;
    this.scheduledSize = state.checkpointedSize;
    this.checkpointedAt = state.checkpointedAt;
    this.segFd = openSync(join(options.dir, segmentFile(this.segmentStart)), "a");
    this.leavesFd = openSync(join(options.dir, leavesFile(this.segmentStart)), "a");
    // Records a crashed batch-mode writer left in the page cache become durable before anything new.
    fdatasyncSync(this.segFd);
    this.group = new GroupSync(this.segFd, (error) => this.fail(error));
    this.group.wrote(this.range.size);
    this.group.switchTo(this.segFd);
    for (const snapshot of state.backlog) this.publish(false, snapshot).catch(options.onError);
    const interval = options.signer?.cadence.intervalMs ?? 0;
    if (interval > 0) {
      this.heartbeat = setInterval(() => void this.publish(false).catch(options.onError), interval);
      this.heartbeat.unref();
    }
  }

  /** Records in the ledger. */
  get size(): number {
    return this.range.size;
  }

  /** The reason appends are refused, if they are. */
  get unavailable(): Error | undefined {
    return this.closing ? new Error(`the ledger ${this.options.dir} is closed`) : this.failure;
  }

  /** Appends one line of JSON; resolves when it is as durable as the sync mode promises. */
  append(line: string): Promise<void> {
    const refused = this.unavailable;
    if (refused) return Promise.reject(refused);
    try {
      this.write(line);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.options.sync === "batch") {
      this.scheduleBatchSync();
      return Promise.resolve();
    }
    return this.group.syncUpTo(this.range.size);
  }

  /** Publishes a signed checkpoint over every record written so far (no-op without a key). */
  checkpoint(): Promise<void> {
    return this.publish(false);
  }

  /** Syncs everything, publishes the final checkpoint and closes the files. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.batchTimer);
    clearInterval(this.heartbeat);
    try {
      await this.publishing;
      if (this.failure) throw this.failure;
      await this.group.sync();
      await datasync(this.leavesFd);
      await this.publish(true);
    } finally {
      await this.group.idle();
      closeSync(this.segFd);
      closeSync(this.leavesFd);
    }
  }

  private write(line: string): void {
    if (line.includes("\n")) throw new Error("a ledger record must be a single line of JSON");
    const data = Buffer.from(`${line}\n`);
    const leaf = leafDigest(data.subarray(0, data.length - 1));
    const leafLine = Buffer.from(`${fromDigest(leaf).toString("hex")}\n`, "latin1");
    const leavesBytes = this.segmentCount * leafLine.length;
    this.writeFully(this.segFd, data, this.segmentBytes);
    try {
      this.writeFully(this.leavesFd, leafLine, leavesBytes);
    } catch (error) {
      this.rollBack(this.segFd, this.segmentBytes, error);
      throw error;
    }
    this.segmentBytes += data.length;
    this.segmentCount += 1;
    this.range.appendDigest(leaf);
    this.group.wrote();
    const every = this.options.signer?.cadence.records ?? 0;
    if (every > 0 && this.range.size - this.scheduledSize >= every)
      this.publish(false).catch(this.options.onError);
    if (this.segmentCount >= this.options.segmentRecords) this.rollOver();
  }

  /** Writes all of `data` or none of it: a short write (disk full) is cut back, never left torn. */
  private writeFully(fd: number, data: Buffer, length: number): void {
    let done = 0;
    try {
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    } catch (error) {
      this.rollBack(fd, length, error);
      throw new Error(`cannot write to the ledger ${this.options.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private rollBack(fd: number, length: number, cause: unknown): void {
    try {
      ftruncateSync(fd, length);
    } catch {
      // A record may now be torn mid-file: nothing more may be written after it.
      this.fail(new Error(`the ledger ${this.options.dir} may hold a partial record`, { cause }));
    }
  }

  /** Starts the next segment once this one is full; the old files are made durable first. */
  private rollOver(): void {
    fdatasyncSync(this.segFd);
    fdatasyncSync(this.leavesFd);
    const retired = [this.segFd, this.leavesFd];
    this.segmentStart = this.range.size;
    this.segmentCount = 0;
    this.segmentBytes = 0;
    this.segFd = openSync(join(this.options.dir, segmentFile(this.segmentStart)), "a");
    this.leavesFd = openSync(join(this.options.dir, leavesFile(this.segmentStart)), "a");
    this.group.switchTo(this.segFd);
    // A sync still in flight holds the old descriptor.
    void this.group.idle().then(() => {
      for (const fd of retired) closeSync(fd);
    });
  }

  private scheduleBatchSync(): void {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.group.flush();
    }, this.options.syncIntervalMs);
    this.batchTimer.unref();
  }

  /**
   * Captures size and root now and publishes them, signed, once those records are durable.
   * Captured synchronously and published in capture order, so consecutive checkpoints never lie
   * further apart than the signed record cadence promises.
   */
  private publish(final: boolean, snapshot?: Snapshot): Promise<void> {
    const signer = this.options.signer;
    if (!signer) return Promise.resolve();
    const { size, root } = snapshot ?? { size: this.range.size, root: this.range.root() };
    this.scheduledSize = size;
    const run = this.publishing.then(async () => {
      await this.group.syncUpTo(size);
      const seq = this.seq + 1;
      const time = checkpointTime(this.options.clock(), this.checkpointedAt);
      const text = signCheckpoint(
        {
          origin: signer.key.name,
          size,
          root,
          time,
          seq,
          cadence: signer.cadence,
          final,
        },
        signer.key,
      );
      await writeFileAtomic(join(this.options.dir, checkpointFile(seq)), text);
      this.seq = seq;
      this.checkpointedAt = time;
    });
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.options.onError(error);
  }
}
