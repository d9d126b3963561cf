import { randomBytes } from "node:crypto";
import { closeSync, constants, fsync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { copyFile, link, open, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeFolder } from "./make-folder.js";

/**
 * How every file trailcheck writes reaches the disk: in full under a hidden temporary name beside it,
 * synced, then put in place by one rename (or a hard link where a name must not be replaced), and the
 * folder synced so that the new name survives a power cut too. A crash leaves the old file or the new
 * one, and at worst a hidden temporary file that `isTempName` recognises.
 */

/** A hidden name beside `path`: `.name.tmp-3f2a…` (or `.name.<label>-…`). */
export function tempPath(path: string, label = "tmp"): string {
  return join(dirname(path), `.${basename(path)}.${label}-${randomBytes(6).toString("hex")}`);
}

/** A temporary file of an interrupted write (also the older `.tmp-3f2a…` form). */
export function isTempName(name: string): boolean {
  return /^\.(?:.+\.)?tmp-[0-9a-f]+$/.test(name);
}

export interface WriteOptions {
  /** The new file's permission bits (a private key: 0o600). */
  readonly mode?: number;
}

/**
 * Files up to this size are created and written with synchronous calls: for a small file (a
 * checkpoint, a state file) they cost a fraction of the promise API's round trips through the thread
 * pool and hold the event loop for microseconds. The fsync, which waits for the disk, always runs on
 * the thread pool; larger files are written there too.
 */
const SMALL_FILE = 64 * 1024;

/** Creates `file` (which must not exist) with all of `data`, synced to the disk before it returns. */
export async function writeSynced(
  file: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  await (await startWrite(file, data, options))();
}

/**
 * Creates `file` and writes `data` into it; the function it returns syncs and closes it. Apart, so
 * that a batch creates all its files before the first sync makes the file system commit.
 */
async function startWrite(
  file: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<() => Promise<void>> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  if (bytes.length > SMALL_FILE) {
    const handle = await open(file, "wx", options.mode);
    try {
      await handle.writeFile(bytes);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return async () => {
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    };
  }
  const fd = createSmall(file, bytes, options.mode);
  return async () => {
    try {
      await syncFd(fd);
    } finally {
      closeSync(fd);
    }
  };
}

/** Creates `file` (exclusive) and writes all of `bytes` into it; returns the open descriptor. */
function createSmall(file: string, bytes: Uint8Array, mode: number | undefined): number {
  const fd = openSync(file, "wx", mode);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** fsync on the thread pool, without the FileHandle machinery around it. */
function syncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Syncs a folder, so the names just renamed or linked into it are on the disk; where a platform can't, nothing. */
export async function syncFolder(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    await syncFd(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM" && code !== "EBADF") throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a whole file, replacing what was there: readers see the old file or all of the new one. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  await writeFilesAtomic([{ path, data, ...options }]);
}

/**
 * Writes several files, each as `writeFileAtomic` does, renamed into place in the order given. The
 * temporary files are written and synced all at once: one round of disk flushes for the lot instead of
 * one per file (a writer publishing the checkpoints of a large batch). Folders are made as needed.
 */
export async function writeFilesAtomic(
  files: readonly { readonly path: string; readonly data: string | Uint8Array; readonly mode?: number }[],
): Promise<void> {
  const dirs = [...new Set(files.map((f) => dirname(f.path)))];
  for (const dir of dirs) await makeFolder(dir);
  const temps = files.map((f) => tempPath(f.path));
  try {
    const finishers: (() => Promise<void>)[] = [];
    let synced: PromiseSettledResult<void>[];
    try {
      for (const [i, f] of files.entries()) finishers.push(await startWrite(temps[i]!, f.data, f));
    } finally {
      // Every file made is synced and closed, even when a later one could not be made.
      synced = await Promise.allSettled(finishers.map((finish) => finish()));
    }
    for (const result of synced) if (result.status === "rejected") throw result.reason;
    // Each temporary file is whole and on the disk before any name points at it.
    for (let i = 0; i < files.length; i++) renameSync(temps[i]!, files[i]!.path);
  } catch (err) {
    for (const temp of temps) rmSync(temp, { force: true });
    throw err;
  }
  await Promise.all(dirs.map(syncFolder));
}

/**
 * Makes `path` appear with all of `data` or not at all, and never replaces an existing file: a synced
 * temporary file, then a hard link (which fails if the name exists — `open(path, "wx")` semantics, but
 * atomic), then the temporary file goes. File systems without hard links get an exclusive copy.
 * The folder must exist.
 */
export async function createExclusive(path: string, data: string, options: WriteOptions = {}): Promise<void> {
  const temp = tempPath(path);
  try {
    await writeSynced(temp, data, options);
    try {
      await link(temp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") throw err;
      await copyFile(temp, path, constants.COPYFILE_EXCL);
    }
  } finally {
    await rm(temp, { force: true });
  }
  await syncFolder(dirname(path));
}
