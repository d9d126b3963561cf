import { open, readdir, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileSystemError } from "../errors.js";
import { lockHolderAlive } from "../files/lock-holder.js";

/**
 * An incident id is reserved by creating `.INC-0007.lock` exclusively in the incidents folder. The lock
 * says who holds it, so one left behind by an add that was killed (SIGKILL, a power cut) can be told
 * from one in use and recovered, with the half-written files of that add: otherwise the id is burnt.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** When it was taken, ms since the epoch. */
  readonly at: number;
}

/** An add holds its lock for the time it takes to write two files; one older than this is dead. */
export const STALE_LOCK_MS = 10 * 60_000;
/** A lock without a readable owner (killed between creating and writing it) is dead after this. */
const UNREADABLE_LOCK_MS = 60_000;

const LOCK = /^\.(INC-\d{4})\.lock$/;
/** Hidden temp files of an add in flight: `.INC-0007-slug.yaml.tmp-3f2a…`. */
const TEMP = /^\.(INC-\d{4})-.*\.tmp-[0-9a-f]+$/;

export const lockPath = (dir: string, id: string) => join(dir, `.${id}.lock`);

/**
 * Whether a lock's holder is gone: a process of this host that no longer runs, a lock older than any
 * add takes, or no readable owner after a minute. Pure given `alive` and `host`.
 */
export function isStaleLock(
  text: string,
  mtimeMs: number,
  now: number,
  alive: (pid: number) => boolean = lockHolderAlive,
  host: string = hostname(),
): boolean {
  let owner: Partial<LockOwner> | undefined;
  try {
    owner = JSON.parse(text) as Partial<LockOwner>;
  } catch {
    owner = undefined;
  }
  if (typeof owner?.pid !== "number" || typeof owner.at !== "number")
    return now - mtimeMs > UNREADABLE_LOCK_MS;
  if (owner.host === host && !alive(owner.pid)) return true;
  return now - owner.at > STALE_LOCK_MS;
}

/** A file-system refusal while reserving or writing, said of the folder the user chose. */
export function folderRefusal(err: unknown, dir: string): unknown {
  return fileSystemError(err, `cannot write into the incidents folder ${dir}`) ?? err;
}

/** Reserves `id`; false when another add holds it. */
export async function lockId(dir: string, id: string, now: number = Date.now()): Promise<boolean> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), at: now };
  try {
    const handle = await open(lockPath(dir, id), "wx");
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw folderRefusal(err, dir);
  }
}

export async function unlockId(dir: string, id: string): Promise<void> {
  await rm(lockPath(dir, id), { force: true });
}

/**
 * Removes what dead adds left in `dir`: their stale locks, their temp files, and a run file they wrote
 * without the YAML that makes it an incident. Live locks and everything they cover stay. The lock is
 * read again just before it goes, so a lock another add has just taken over is left alone.
 */
export async function recoverStaleLocks(dir: string, now: number = Date.now()): Promise<void> {
  const names = await readdir(dir);
  const live = new Set<string>();
  const dead = new Set<string>();
  for (const name of names) {
    const id = LOCK.exec(name)?.[1];
    if (!id) continue;
    const file = join(dir, name);
    const seen = await readLock(file);
    if (seen === undefined) continue;
    if (!isStaleLock(seen.text, seen.mtimeMs, now)) {
      live.add(id);
      continue;
    }
    if ((await readLock(file))?.text !== seen.text) continue;
    await rm(file, { force: true });
    dead.add(id);
  }
  const yamls = new Set(names.filter((n) => /^INC-\d{4}-.*\.yaml$/.test(n)).map((n) => n.slice(0, 8)));
  for (const name of names) {
    const temp = TEMP.exec(name)?.[1];
    // A temp file exists only while its id is locked: one without a live lock is a dead add's.
    if (temp && !live.has(temp)) await rm(join(dir, name), { force: true });
    const run = /^(INC-\d{4})-.*\.run\.jsonl$/.exec(name)?.[1];
    if (run && dead.has(run) && !yamls.has(run)) await rm(join(dir, name), { force: true });
  }
}

async function readLock(file: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined; // not a lock trailcheck wrote: reading a FIFO would block
    return { text: await readFile(file, "utf8"), mtimeMs: info.mtimeMs };
  } catch {
    return undefined; // gone already: its add finished
  }
}
