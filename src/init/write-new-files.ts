import type { Stats } from "node:fs";
import { appendFile, lstat, rm, rmdir, stat, truncate } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { createExclusive } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";

/** A file to create, or a line to add to an existing file (`.gitignore`). */
export interface NewFiles {
  /** Paths relative to the folder (forward slashes) and their contents; none may exist. */
  readonly create: Readonly<Record<string, string>>;
  /** Lines to add to existing files, relative path → text appended as is. */
  readonly append?: Readonly<Record<string, string>>;
}

type Kind = "missing" | "dir" | "file" | "other";

async function kindOf(path: string): Promise<Kind> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (err) {
    // Anything but "no such file" (a name too long, no permission) makes the path unusable.
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "other";
  }
  // A symbolic link counts as what it points at; a dangling one is neither free nor usable.
  const target = link.isSymbolicLink() ? await stat(path).catch(() => undefined) : link;
  if (!target) return "other";
  return target.isDirectory() ? "dir" : target.isFile() ? "file" : "other";
}

const cannot = (dir: string, what: string, err: unknown) =>
  new InputError(
    "cannot-write",
    `${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; nothing was written`,
    { file: dir },
  );

/**
 * Checks every path first: each folder on the way is a folder or absent, no file to create exists in
 * any form (a dangling symbolic link included) and each file to append to is a regular file. Throws
 * InputError (exit 2) naming every conflict, before anything is written.
 */
async function check(root: string, files: NewFiles): Promise<void> {
  const taken: string[] = [];
  const blocked = new Set<string>();
  for (const rel of Object.keys(files.create)) {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      const kind = await kindOf(join(root, dir));
      if (kind !== "dir" && kind !== "missing") blocked.add(dir);
    }
    if ((await kindOf(join(root, rel))) !== "missing") taken.push(rel);
  }
  for (const rel of Object.keys(files.append ?? {})) {
    if ((await kindOf(join(root, rel))) !== "file") blocked.add(rel);
  }
  const problems = [
    ...(taken.length > 0 ? [`not overwriting ${taken.join(", ")}`] : []),
    ...(blocked.size > 0 ? [`not a folder or not a regular file: ${[...blocked].join(", ")}`] : []),
  ];
  if (problems.length > 0) {
    throw new InputError(
      "would-overwrite",
      `${problems.join("; ")}; nothing was written (move them aside or add the rest by hand)`,
    );
  }
}

/**
 * Creates every file of `files.create` under `root` and appends `files.append`, all or nothing: after the
 * checks above, the folders on the way are made (`makeFolder`) and each file appears whole through a
 * temporary file and a hard link that never replaces a name.
 * On any failure everything made so far is removed again. Returns the paths created. `afterCreate`
 * runs after each file; tests use it to interrupt the writing midway.
 */
export async function writeNewFiles(
  root: string,
  files: NewFiles,
  hooks: { afterCreate?: (rel: string) => void | Promise<void> } = {},
): Promise<string[]> {
  await check(root, files);
  // What was made, in order, as [path, is a folder]; undone in reverse on failure.
  const made: [string, boolean][] = [];
  const appended: [string, number][] = [];
  try {
    for (const [rel, text] of Object.entries(files.create)) {
      const file = join(root, ...rel.split("/"));
      for (const dir of await makeFolder(dirname(file))) made.push([dir, true]);
      await createExclusive(file, text);
      made.push([file, false]);
      await hooks.afterCreate?.(rel);
    }
    for (const [rel, text] of Object.entries(files.append ?? {})) {
      const file = join(root, rel);
      appended.push([file, (await stat(file)).size]);
      await appendFile(file, text);
    }
  } catch (err) {
    for (const [file, size] of appended) await truncate(file, size).catch(() => {});
    for (const [path, isDir] of made.reverse()) await (isDir ? rmdir(path) : rm(path)).catch(() => {});
    if (err instanceof InputError) throw err;
    throw cannot(root, "cannot write the scaffold", err);
  }
  return Object.keys(files.create);
}
