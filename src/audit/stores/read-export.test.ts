import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../../ingest/index.js";
import { recordsFromOtlpJson } from "../../ingest/otlp-json.js";
import type { SpanRecord } from "../../model/record.js";
import { fileExportStore } from "./file-export.js";
import { readExportFile, readExportObject } from "./read-export.js";

/**
 * The ingest's binary fixtures (the OpenTelemetry JS SDK's own serializers, framed as the collector's
 * file exporter frames them, zstd by the zstd tool: src/ingest/testdata) as a store holds them: plain,
 * and gzipped as a compressed rotated backup or object.
 */
const testdata = (name: string) => join(import.meta.dirname, "..", "..", "ingest", "testdata", name);
const withoutSource = (records: readonly SpanRecord[]) => records.map(({ source: _s, ...r }) => r);

let dir: string;
let expected: SpanRecord[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-read-export-"));
  expected = withoutSource(recordsFromOtlpJson(JSON.parse(await readFile(testdata("otlp.json"), "utf8"))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function place(fixture: string, name: string, gzip: boolean): Promise<string> {
  const file = join(dir, gzip ? `${name}.gz` : name);
  await writeFile(
    file,
    gzip ? gzipSync(await readFile(testdata(fixture))) : await readFile(testdata(fixture)),
  );
  return file;
}

async function ingested(file: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const r of readRecords(file)) out.push(r);
  return out;
}

async function batches(file: string): Promise<SpanRecord[][]> {
  const out: SpanRecord[][] = [];
  for await (const batch of readExportFile(file)) out.push(batch);
  return out;
}

describe("collector file exporter files", () => {
  it.each([
    ["collector-proto.bin", "format: proto"],
    ["collector-json-zstd.bin", "compression: zstd (json)"],
    ["collector-proto-zstd.bin", "compression: zstd (proto)"],
    ["collector.jsonl", "format: json"],
  ])("%s (%s) reads record for record as the ingest reads it, plain and gzipped", async (fixture) => {
    // The binary fixtures hold the spans of otlp.json; the JSON lines its own.
    const want = fixture.endsWith(".jsonl") ? withoutSource(await ingested(testdata(fixture))) : expected;
    for (const gzip of [false, true]) {
      const file = await place(fixture, `${fixture}-${gzip}.data`, gzip);
      const read = await batches(file);
      expect(withoutSource(read.flat())).toEqual(want);
      // One batch per export request; each record names the file and the line or message it came from.
      expect(read.every((b) => b.length > 0)).toBe(true);
      expect(read.flat()[0]!.source).toEqual({ file, line: 1 });
    }
  });

  it.each([
    ["native-json.jsonl.zst", "format: json"],
    ["native-proto.bin.zst", "format: proto"],
    ["native-proto-rotated.bin.zst", "format: proto, one frame per write"],
  ])("%s (%s, compressed as a whole) reads record for record as the ingest reads it", async (fixture) => {
    const read = await batches(testdata(fixture));
    expect(read.length).toBeGreaterThan(0);
    expect(withoutSource(read.flat())).toEqual(withoutSource(await ingested(testdata(fixture))));
    expect(read.flat()[0]!.source).toEqual({ file: testdata(fixture), line: 1 });
  });

  it("names the file and the message when a gzipped length-prefixed backup is cut", async () => {
    const bytes = await readFile(testdata("collector-proto-zstd.bin"));
    const file = join(dir, "cut-backup.proto.gz");
    await writeFile(file, gzipSync(bytes.subarray(0, bytes.length - 10)));
    await expect(batches(file)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file },
      message: expect.stringMatching(/ends inside message 2/),
    });
  });

  it("a file that is not gzip though named so is bad input naming it", async () => {
    const file = join(dir, "not-gzip.json.gz");
    await copyFile(testdata("collector.jsonl"), file);
    await expect(batches(file)).rejects.toMatchObject({ code: "bad-gzip", location: { file } });
  });

  it("a directory store lists a series' backup and live file in write order and reads both", async () => {
    const store = join(dir, "mixed");
    await import("node:fs/promises").then((fs) => fs.mkdir(store));
    await copyFile(testdata("collector-proto-zstd.bin"), join(store, "traces-2026-01-15T09-00-00.000.proto"));
    await copyFile(testdata("collector-json-zstd.bin"), join(store, "traces.proto"));
    const listing = await fileExportStore(store, `file:${store}`).list({ from: 0n, now: 2n ** 80n });
    expect(listing.segments.map((s) => s.label.slice(store.length + 1))).toEqual([
      "traces-2026-01-15T09-00-00.000.proto",
      "traces.proto",
    ]);
    for (const segment of listing.segments) {
      const read: SpanRecord[] = [];
      for await (const batch of segment.read()) read.push(...batch);
      expect(withoutSource(read)).toEqual(expected);
    }
  });

  it("a directory store lists and reads files compressed as a whole, named .zst, beside their backups", async () => {
    const store = join(dir, "native");
    await import("node:fs/promises").then((fs) => fs.mkdir(store));
    await copyFile(testdata("native-proto.bin.zst"), join(store, "traces.bin-2026-01-15T09-00-00.000.zst"));
    await copyFile(testdata("native-proto.bin.zst"), join(store, "traces.bin.zst"));
    const listing = await fileExportStore(store, `file:${store}`).list({ from: 0n, now: 2n ** 80n });
    expect(listing.segments.map((s) => s.label.slice(store.length + 1))).toEqual([
      "traces.bin-2026-01-15T09-00-00.000.zst",
      "traces.bin.zst",
    ]);
    const want = withoutSource(await ingested(testdata("native-proto.bin.zst")));
    for (const segment of listing.segments) {
      const read: SpanRecord[] = [];
      for await (const batch of segment.read()) read.push(...batch);
      expect(withoutSource(read)).toEqual(want);
    }
  });
});

describe("S3 exporter objects", () => {
  it.each([
    ["otlp.json", "x.json"],
    ["otlp.binpb", "x.binpb"],
  ])("%s reads whole, plain and gzipped", async (fixture, name) => {
    for (const gzip of [false, true]) {
      const file = await place(fixture, `${gzip}-${name}`, gzip);
      expect(withoutSource(await readExportObject(file))).toEqual(expected);
    }
  });

  it("an object that is not an export request is bad input naming it", async () => {
    const file = join(dir, "garbage.binpb");
    await writeFile(file, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    await expect(readExportObject(file)).rejects.toMatchObject({ code: "bad-trace", location: { file } });
  });
});
