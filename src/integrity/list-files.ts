import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** Every file under `root`, as sorted `/`-separated paths relative to it (the same on every OS). */
export async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, full)));
    else out.push(relative(root, full).split(sep).join("/"));
  }
  return out.sort();
}
