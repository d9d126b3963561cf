import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { isTempName } from "../files/atomic-write.js";
import { CHECKPOINTS_DIR, SEGMENTS_DIR } from "./store-layout.js";

/**
 * Removes what an interrupted atomic write left in a log's folders: a checkpoint being published, or
 * a leaf index being rebuilt, killed before its rename. Such a file never was part of the log, so a
 * writer that resumes the log (the sealed log writer, the guard's ledger) clears it before it reads;
 * any other name that does not belong is left for the verifier to report.
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const folder of [SEGMENTS_DIR, CHECKPOINTS_DIR]) {
    const names = await readdir(join(dir, folder));
    await Promise.all(names.filter(isTempName).map((n) => rm(join(dir, folder, n), { force: true })));
  }
}
