import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { detectFormat } from "./detect.js";
import { readRecords } from "./index.js";
import { recordsFromOtlpJson } from "./otlp-json.js";

/**
 * The same four spans from the OpenTelemetry JS SDK, serialized by its own OTLP serializers
 * (@opentelemetry/otlp-transformer) as JSON and as protobuf, framed as the collector's file exporter
 * frames them and compressed with the zstd tool (testdata/README.md says how).
 */
const data = (name: string) => join(import.meta.dirname, "testdata", name);
const withoutSource = (records: SpanRecord[]) => records.map(({ source: _s, ...r }) => r);

async function read(file: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const r of readRecords(file)) out.push(r);
  return out;
}

const expected = async () =>
  withoutSource([...recordsFromOtlpJson(JSON.parse(await readFile(data("otlp.json"), "utf8")), undefined)]);

describe("binary trace files", () => {
  it.each([
    ["otlp.binpb", "otlp-proto"],
    ["collector-proto.bin", "collector-proto"],
    ["collector-json-zstd.bin", "collector-proto"],
    ["collector-proto-zstd.bin", "collector-proto"],
  ])("%s is read as %s, record for record the same as the JSON export", async (name, format) => {
    expect(await detectFormat(data(name))).toBe(format);
    const records = await read(data(name));
    expect(records).toHaveLength(4);
    expect(withoutSource(records)).toEqual(await expected());
  });

  it("a .pb name is OTLP protobuf whatever its first bytes", async () => {
    const copy = join(tmpdir(), `trailcheck-${process.pid}-copy.pb`);
    await writeFile(copy, await readFile(data("otlp.binpb")));
    expect(await detectFormat(copy)).toBe("otlp-proto");
  });

  it("names the file and the message when a length-prefixed export is cut or corrupt", async () => {
    const bytes = await readFile(data("collector-proto-zstd.bin"));
    const cut = join(tmpdir(), `trailcheck-${process.pid}-cut.bin`);
    await writeFile(cut, bytes.subarray(0, bytes.length - 10));
    await expect(read(cut)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: cut },
      message: expect.stringMatching(/ends inside message 2/),
    });
    const corrupt = Buffer.from(bytes);
    corrupt[10] = corrupt[10]! ^ 0xff;
    const bad = join(tmpdir(), `trailcheck-${process.pid}-bad.bin`);
    await writeFile(bad, corrupt);
    await expect(read(bad)).rejects.toMatchObject({ code: "bad-trace", location: { file: bad, line: 1 } });
  });
});
