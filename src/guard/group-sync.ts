import { fdatasync } from "node:fs";

interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Group commit for one append-only file: callers wait until the records they wrote are on stable
 * storage, and one fdatasync serves everyone who wrote before it started. Concurrent tool calls
 * therefore share syncs instead of queueing one each.
 */
export class GroupSync {
  /** Records written to the file (counted by the caller). */
  private written = 0;
  /** Records known to be on stable storage. */
  private durable = 0;
  private running = false;
  private inFlight: Promise<void> = Promise.resolve();
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  constructor(
    private fd: number,
    /** Called once when a sync fails: the file's durability is unknown from then on. */
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** The file now holds `count` more records (written, maybe not durable). */
  wrote(count = 1): void {
    this.written += count;
  }

  /** Records written but not yet known durable. */
  get pending(): number {
    return this.written - this.durable;
  }

  /** Resolves once every record written so far is durable. */
  sync(): Promise<void> {
    return this.syncUpTo(this.written);
  }

  /** Resolves once the first `upTo` records are durable. */
  syncUpTo(upTo: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable >= upTo) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.kick();
    });
  }

  /** Starts a sync now if records are pending and none is running (the batch timer uses this). */
  flush(): void {
    if (this.pending > 0) this.kick();
  }

  /**
   * Moves to a new file (segment roll-over). The caller has made the old file durable with a
   * synchronous sync first, so every record written so far counts as durable.
   */
  switchTo(fd: number): void {
    this.fd = fd;
    this.durable = this.written;
    this.settle();
  }

  /** Resolves when no sync is in flight: a retired file's descriptor may be closed then. */
  idle(): Promise<void> {
    return this.inFlight;
  }

  private kick(): void {
    if (this.running || this.failure) return;
    this.running = true;
    const target = this.written;
    const fd = this.fd;
    this.inFlight = new Promise((done) =>
      fdatasync(fd, (error) => {
        this.running = false;
        done();
        if (error) {
          this.failure = error;
          for (const w of this.waiters.splice(0)) w.reject(error);
          this.onFailure(error);
          return;
        }
        // A roll-over during the sync already counted everything durable.
        if (fd === this.fd) this.durable = Math.max(this.durable, target);
        this.settle();
        if (this.waiters.length > 0) this.kick();
      }),
    );
  }

  private settle(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo <= this.durable) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
