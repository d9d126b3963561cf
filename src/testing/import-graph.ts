import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { expect } from "vitest";

const root = resolve(import.meta.dirname, "../..");

// Runs in the loader thread: appends "parent url, resolved url, format" for every import.
const HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, JSON.stringify({ parent: context.parentURL ?? "", url: result.url }) + "\\n");
  return result;
}
export async function load(url, context, next) {
  const result = await next(url, context);
  appendFileSync(log, JSON.stringify({ url, format: result.format }) + "\\n");
  return result;
}`;

export interface Graph {
  /** Every module reachable from the entry: resolved URL → its format. */
  readonly modules: Map<string, string | undefined>;
}

/**
 * The module graph a fresh node process loads when it imports `entry` (a path from the repository root,
 * run from the sources through tsx): a module hook records every resolved import, so the graph is the
 * real one (type-only imports erased, re-exports followed), not what the source text suggests. Dynamic
 * imports are not followed: they only run when called. `log` is a file the hook appends to.
 */
export async function importGraph(entry: string, log: string): Promise<Graph> {
  const entryUrl = pathToFileURL(join(root, entry)).href;
  const script = `
    import { register } from "node:module";
    import { register as tsx } from "tsx/esm/api";
    tsx();
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, {
      parentURL: import.meta.url, data: { log: ${JSON.stringify(log)} },
    });
    await import(${JSON.stringify(entryUrl)});`;
  const run = await execa("node", ["--input-type=module", "-e", script], { cwd: root, reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
  const edges = new Map<string, string[]>();
  const formats = new Map<string, string | undefined>();
  for (const line of (await readFile(log, "utf8")).split("\n").filter(Boolean)) {
    const entry = JSON.parse(line) as { parent?: string; url: string; format?: string };
    if ("format" in entry) formats.set(entry.url, entry.format);
    else edges.set(entry.parent!, [...(edges.get(entry.parent!) ?? []), entry.url]);
  }
  const modules = new Map<string, string | undefined>();
  const pending = [entryUrl];
  for (let url = pending.pop(); url !== undefined; url = pending.pop()) {
    if (modules.has(url)) continue;
    modules.set(url, formats.get(url));
    pending.push(...(edges.get(url) ?? []));
  }
  return { modules };
}
