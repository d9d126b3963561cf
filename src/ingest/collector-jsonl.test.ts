import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCollectorJsonl } from "./collector-jsonl.js";
import { listTraceIds, readRecords, readRuns } from "./index.js";

const FILE = fileURLToPath(new URL("./testdata/collector.jsonl", import.meta.url));
const A = "5b8efff798038103d269b633813fc60c";
const B = "0af7651916cd43dd8448eb211c80319c";

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; location?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("collector file exporter JSONL", () => {
  it("reads every line, skipping blank ones, in file order with line numbers", async () => {
    const records = await collect(readRecords(FILE));
    expect(records.map((r) => [r.spanId, r.source?.line])).toEqual([
      ["aaaaaaaaaaaaaaa1", 1],
      ["bbbbbbbbbbbbbbb1", 3],
      ["aaaaaaaaaaaaaaa2", 3],
      ["aaaaaaaaaaaaaaa3", 5],
    ]);
  });

  it("joins a trace split across lines and separates traces sharing a line", async () => {
    const runs = await readRuns(FILE);
    expect(runs.map((r) => [r.traceId, r.records.length])).toEqual([
      [A, 3],
      [B, 1],
    ]);
    expect(await listTraceIds(FILE)).toEqual([A, B]);
  });

  it("keeps only the requested trace", async () => {
    const records = await collect(readRecords(FILE, { traceId: B.toUpperCase() }));
    expect(records.map((r) => r.name)).toEqual(["invoke_agent planner"]);
    expect((await readRuns(FILE, { traceId: A, format: "collector-jsonl" }))[0]!.records).toHaveLength(3);
  });

  it("reads from a stream too", async () => {
    const text = `\n${JSON.stringify({ resourceSpans: [] })}\r\n`;
    expect(await collect(readCollectorJsonl(Readable.from([text]), { file: "s" }))).toEqual([]);
  });

  it("names the line of a bad line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailcheck-ingest-"));
    const bad = join(dir, "bad.jsonl");
    writeFileSync(
      bad,
      `{"resourceSpans":[]}\n\n{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"x"}]}]}]}\n`,
    );
    const err = await rejection(collect(readRecords(bad)));
    expect(err.message.replace(dir, "<dir>")).toMatchInlineSnapshot(
      `"<dir>/bad.jsonl:3 (resourceSpans[0].scopeSpans[0].spans[0].traceId): expected 32 hex digits (or base64 of 16 bytes), got 'x'"`,
    );
    writeFileSync(bad, `{"resourceSpans":[]}\n{"resourceSpans":[}\n`);
    const syntax = await rejection(collect(readRecords(bad, { format: "collector-jsonl" })));
    expect(syntax.code).toBe("bad-json");
    expect(syntax.location).toEqual({ file: bad, line: 2 });
  });

  it("reports a missing file and a bad trace id", async () => {
    const err = await rejection(collect(readRecords("/nonexistent/trace.jsonl")));
    expect(err.code).toBe("file-not-found");
    expect(err.message).toMatchInlineSnapshot(
      `"/nonexistent/trace.jsonl: the trace file does not exist; check the path"`,
    );
    expect((await rejection(collect(readRecords(FILE, { traceId: "nope" })))).code).toBe("bad-trace-id");
  });
});
