import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, open, rename, rm } from "node:fs/promises";
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

/** Creates `file` (which must not exist) with all of `data`, synced to the disk before it returns. */
export async function writeSynced(
  file: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  const handle = await open(file, "wx", options.mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Syncs a folder, so the names just renamed or linked into it are on the disk; where a platform can't, nothing. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM" && code !== "EBADF") throw err;
  } finally {
    await handle?.close();
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
    await Promise.all(files.map((f, i) => writeSynced(temps[i]!, f.data, f)));
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, files[i]!.path);
  } catch (err) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
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
