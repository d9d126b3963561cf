import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Writes a whole file so that readers see either nothing or all of it: a synced temp file in the
 * same directory, then a rename. A crash can leave a `.tmp-*` file, never a torn checkpoint.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/**
 * Writes several files, each atomically as writeFileAtomic does, renamed into place in the order
 * given. The temp files are written and synced all at once: one round of disk flushes for the lot
 * instead of one per file (a writer publishing the checkpoints of a large batch).
 */
export async function writeFilesAtomic(
  files: readonly { readonly path: string; readonly data: string | Uint8Array }[],
): Promise<void> {
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await mkdir(dir, { recursive: true });
  const temps = files.map((f) => join(dirname(f.path), `.tmp-${randomBytes(6).toString("hex")}`));
  try {
    await Promise.all(files.map((f, i) => writeFile(temps[i]!, f.data, { flag: "wx", flush: true })));
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, files[i]!.path);
  } catch (err) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw err;
  }
}
