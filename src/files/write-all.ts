import { copyFile, link, lstat, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { syncFolder, tempPath, writeSynced } from "./atomic-write.js";
import { makeFolder } from "./make-folder.js";

/** Test seams: a failure injected between two renames shows that the files go back as they were. */
export interface WriteAllHooks {
  readonly beforeRename?: (name: string) => void | Promise<void>;
}

async function kindOf(path: string): Promise<"file" | "absent" | "other"> {
  try {
    return (await lstat(path)).isFile() ? "file" : "other";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    throw err;
  }
}

/**
 * Writes a set of files into `dir` all or nothing: a reader, and the folder after any failure, holds
 * either every old file or every new one, never a mix. Each file is first written in full and synced
 * under a hidden temporary name; only then does each replace its old version by a rename, the old one
 * kept under a hidden name until all are in place, and put back if a rename fails.
 */
export async function writeAll(
  dir: string,
  files: Readonly<Record<string, string>>,
  hooks: WriteAllHooks = {},
): Promise<string[]> {
  if ((await kindOf(dir)) === "file") {
    throw new InputError("file-system", "the output folder is a file, not a folder", { file: dir });
  }
  await makeFolder(dir);
  const names = Object.keys(files);
  for (const name of names) {
    if ((await kindOf(join(dir, name))) === "other") {
      throw new InputError("file-system", `${name} in the output folder is not a file; nothing was written`, {
        file: join(dir, name),
      });
    }
  }
  const staged = new Map(names.map((n) => [n, tempPath(join(dir, n))]));
  const kept = new Map(names.map((n) => [n, tempPath(join(dir, n), "old")]));
  const placed: string[] = [];
  try {
    for (const name of names) await writeSynced(staged.get(name)!, files[name]!);
    for (const name of names) {
      if ((await kindOf(join(dir, name))) !== "file") continue;
      // A hard link keeps the old version at no cost; a file system without them gets a copy.
      await link(join(dir, name), kept.get(name)!).catch(() => copyFile(join(dir, name), kept.get(name)!));
    }
    for (const name of names) {
      await hooks.beforeRename?.(name);
      await rename(staged.get(name)!, join(dir, name));
      placed.push(name);
    }
  } catch (err) {
    // Put back what was there: the old version where there was one, nothing where there was none.
    for (const name of placed) {
      await rename(kept.get(name)!, join(dir, name)).catch(() => rm(join(dir, name), { force: true }));
    }
    throw err;
  } finally {
    for (const name of names) {
      await rm(staged.get(name)!, { force: true });
      await rm(kept.get(name)!, { force: true });
    }
  }
  await syncFolder(dir);
  return names.map((n) => join(dir, n));
}
