import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGraph } from "../testing/import-graph.js";

/**
 * Every verb pays for the modules its file loads before it runs: Node 20 compiles each of them at every
 * start. What a verb only sometimes needs is imported where it is needed; these pin the large ones.
 */
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "trailcheck-startup-imports-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function loaded(entry: string): Promise<string[]> {
  const { modules } = await importGraph(entry, join(tmp, `${entry.replaceAll("/", "_")}.log`));
  const urls = [...modules.keys()];
  expect(urls.length).toBeGreaterThan(5); // the hook saw the graph, not just the entry
  return urls;
}

describe("start-up imports", () => {
  it("check loads neither the collector config reader (only --otelcol needs it) nor execa", async () => {
    const urls = await loaded("src/cli/check.ts");
    expect(urls.some((u) => u.includes("/src/pipeline/"))).toBe(true);
    expect(urls.filter((u) => u.includes("/src/otelcol/") || u.includes("/node_modules/execa/"))).toEqual([]);
  });

  it("check loads no worker threads: it starts its sealing worker only for a large sealed file", async () => {
    const urls = await loaded("src/cli/check.ts");
    expect(urls.filter((u) => u === "node:worker_threads" || u.includes("/src/cli/check-seal"))).toEqual([]);
  });

  // seal imports the readers when it reads (integrity/read-records-for-sealing.ts), so they are the entries.
  it.each(["src/ingest/read-records.ts", "src/ingest/collector-jsonl.ts"])(
    "reading records with %s, as seal does, loads no zod",
    async (entry) => {
      const urls = await loaded(entry);
      expect(urls.some((u) => u.includes("/src/ingest/"))).toBe(true);
      expect(urls.filter((u) => u.includes("/node_modules/zod/"))).toEqual([]);
    },
  );

  it("fuzz loads execa only when it replays an agent", async () => {
    const urls = await loaded("src/cli/fuzz.ts");
    expect(urls.filter((u) => u.includes("/node_modules/execa/"))).toEqual([]);
  });
});
