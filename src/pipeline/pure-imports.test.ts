import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The simulation and the reconstruction are pure functions of their inputs: importing them must not load the file system, the
 * network or child processes. A fresh node process imports the entry with a module hook that records
 * every resolved import, so the test sees the real module graph (type-only imports erased,
 * re-exports followed), not what the source text suggests.
 */
const root = resolve(import.meta.dirname, "../..");
const FORBIDDEN = new Set([
  "fs",
  "fs/promises",
  "net",
  "child_process",
  "dgram",
  "http",
  "https",
  "worker_threads",
]);

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

interface Graph {
  /** Every module reachable from the entry: resolved URL → its format. */
  readonly modules: Map<string, string | undefined>;
}

async function importGraph(entry: string, log: string): Promise<Graph> {
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

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "trailcheck-imports-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe.each([
  "src/pipeline/index.ts",
  "src/pipeline/simulate.ts",
  "src/reconstruct/check.ts",
  "src/reconstruct/check-stream.ts",
])("importing %s", (entry) => {
  it("loads no file system, network or process module, and no CommonJS it cannot see into", async () => {
    const { modules } = await importGraph(entry, join(tmp, `${entry.replaceAll("/", "_")}.log`));
    const urls = [...modules.keys()];
    expect(urls.length).toBeGreaterThan(10); // the hook saw the graph, not just the entry
    const builtins = urls.filter((u) => u.startsWith("node:")).map((u) => u.slice(5));
    expect(builtins.filter((b) => FORBIDDEN.has(b) || FORBIDDEN.has(b.split("/")[0]!))).toEqual([]);
    // A CommonJS package's own require() calls bypass the hook, so none may be reached at all.
    expect(urls.filter((u) => modules.get(u) === "commonjs")).toEqual([]);
  });
});
