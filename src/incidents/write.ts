import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { createExclusive } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";
import { folderRefusal, lockId, recoverStaleLocks, unlockId } from "./id-lock.js";

/** The files of one incident, once written. */
export interface WrittenIncident {
  readonly id: string;
  readonly yamlPath: string;
  readonly runPath: string;
}

export interface IncidentFiles {
  /** The incident YAML; written last, it makes the incident visible. */
  readonly yaml: string;
  /** The recorded run as trailcheck JSONL. */
  readonly run: string;
}

export interface WriteHooks {
  /** Runs between the two writes; tests use it to interrupt an add midway. */
  readonly afterRunFile?: () => void | Promise<void>;
}

/** The id an incident's files carry: `INC-0007-slug.yaml`, `INC-0007-slug.run.jsonl`. */
const ID_IN_NAME = /^INC-(\d{4})(?=[-.])/;

export function formatIncidentId(n: number): string {
  return `INC-${String(n).padStart(4, "0")}`;
}

/** A file-name slug: lowercase words joined by dashes, cut at a word boundary within 48 characters. */
export function slugify(text: string): string {
  const full = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (full.length <= 48) return full || "incident";
  const cut = full.slice(0, 49);
  const slug = cut.slice(0, Math.max(cut.lastIndexOf("-"), 0)) || full.slice(0, 48);
  return slug;
}

async function usedIds(dir: string): Promise<Set<number>> {
  const out = new Set<number>();
  for (const name of await readdir(dir)) {
    const m = ID_IN_NAME.exec(name);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/**
 * Allocates the next free id in `dir` and writes the incident's two files. Safe against concurrent
 * adds: an id is reserved with an exclusive lock file before use, and a name already taken is never
 * overwritten. The run file goes first and the YAML last, so a reader never sees an incident without
 * its run; on any failure whatever was written is removed.
 */
export async function writeIncident(
  dir: string,
  slug: string,
  build: (id: string, runName: string) => IncidentFiles,
  hooks: WriteHooks = {},
): Promise<WrittenIncident> {
  await makeFolder(dir).catch((err: unknown) => {
    throw folderRefusal(err, dir);
  });
  await recoverStaleLocks(dir);
  let n = Math.max(0, ...(await usedIds(dir))) + 1;
  for (; n <= 9999; n++) {
    const id = formatIncidentId(n);
    if (!(await lockId(dir, id))) continue;
    try {
      // Another add may have finished this id between our scan and our lock.
      if ((await usedIds(dir)).has(n)) continue;
      const runName = `${id}-${slug}.run.jsonl`;
      const yamlPath = join(dir, `${id}-${slug}.yaml`);
      const runPath = join(dir, runName);
      const files = build(id, runName);
      const written: string[] = [];
      try {
        await createExclusive(runPath, files.run);
        written.push(runPath);
        await hooks.afterRunFile?.();
        await createExclusive(yamlPath, files.yaml);
        written.push(yamlPath);
      } catch (err) {
        for (const file of written.reverse()) await rm(file, { force: true });
        throw folderRefusal(err, dir);
      }
      return { id, yamlPath, runPath };
    } finally {
      await unlockId(dir, id);
    }
  }
  throw new InputError("no-free-id", "no free incident id left (INC-0001 … INC-9999)", { file: dir });
}
