import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGraph } from "../testing/import-graph.js";

/**
 * The simulation and the reconstruction are pure functions of their inputs: importing them must not load the file system, the
 * network or child processes. A fresh node process imports the entry with a module hook that records
 * every resolved import, so the test sees the real module graph (type-only imports erased,
 * re-exports followed), not what the source text suggests.
 */
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
