import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { lockHolderAlive } from "../files/lock-holder.js";
import { WRITER_LOCK } from "./store-layout.js";

interface Holder {
  readonly pid: number;
  readonly host: string;
  /** Linux's id of the boot: after a power cut, a process id of the old boot says nothing. */
  readonly boot?: string;
  readonly since: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A held lock: `release` removes it (once). */
export interface WriterLock {
  release(): void;
}

function readHolder(file: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Holder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? {
          pid: parsed.pid,
          host: parsed.host,
          ...(typeof parsed.boot === "string" ? { boot: parsed.boot } : {}),
          since: String(parsed.since),
        }
      : undefined;
  } catch {
    return undefined; // gone meanwhile, or cut short by a crash while it was written
  }
}

/**
 * Takes the writer lock of `dir` (which exists), or throws naming the process that holds it (the
 * message begins with `what`, the log as the caller names it). Two
 * writers appending to one log interleave records each one hashes without the other's and sign
 * checkpoints over trees that are not on disk: the log fails verification for good, and a ledger that
 * fails verification refuses every later writer — every guarded tool call would be blocked. A lock
 * left by a writer that died (its process is gone, or the machine has booted since) is taken over;
 * one whose holder cannot be checked (another machine, a process id reused since) is refused with
 * the file to remove by hand.
 */
export function takeWriterLock(dir: string, what: string): WriterLock {
  const file = join(dir, WRITER_LOCK);
  const boot = bootId();
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    ...(boot ? { boot } : {}),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = readHolder(file);
      const sameBoot = holder?.boot === undefined || holder.boot === me.boot;
      if (holder && (holder.host !== me.host || (sameBoot && lockHolderAlive(holder.pid)))) {
        const who =
          holder.pid === me.pid && holder.host === me.host ? "this process" : `process ${holder.pid}`;
        throw new Error(
          `${what} is open for writing by ${who} on ${holder.host} (since ${holder.since}): ` +
            `one writer at a time. If that process is gone, remove ${file}`,
        );
      }
      // Its writer died (or was killed while writing the lock): nothing holds the log.
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    let held = true;
    return {
      release() {
        if (held) rmSync(file, { force: true });
        held = false;
      },
    };
  }
}
