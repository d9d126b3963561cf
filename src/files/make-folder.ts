import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

function notAFolder(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), {
    code: "ENOTDIR",
    syscall: "mkdir",
    path,
  });
}

async function isFolder(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    // ENOTDIR: a level above is a file; the walk up finds it and names it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

/**
 * Makes the folder `path` and the folders above it that are missing, one level at a time, and returns
 * the ones it made, top first (so a caller can take them back). Node's `mkdir(p, { recursive: true })`
 * never returns for a missing path under /proc (each level reports "no such file" and it retries);
 * here a level that cannot be made fails with the file system's own error, which names the path. A
 * file where a folder should be fails with ENOTDIR. A folder made meanwhile by someone else is fine.
 */
export async function makeFolder(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = resolve(path); ; ) {
    const folder = await isFolder(at);
    if (folder === false) throw notAFolder(at);
    if (folder) break;
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const made: string[] = [];
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
      made.push(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || !(await isFolder(dir))) throw err;
    }
  }
  return made;
}
