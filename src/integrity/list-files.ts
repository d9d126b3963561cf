import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * Every file under `root`, as sorted `/`-separated paths relative to it (the same on every OS).
 * Walks with a work list, not recursion, and never spreads a listing into a call: a checkpoint
 * directory can hold hundreds of thousands of files.
 */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else out.push(relative(root, full).split(sep).join("/"));
    }
  }
  return out.sort();
}
