import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { readFrames } from "./collector-proto.js";
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
    // Compressed as a whole (exporter.file.nativeCompression): refused as of unknown format before.
    ["native-json.jsonl.zst", "collector-jsonl"],
    ["native-proto.bin.zst", "collector-proto"],
    ["native-proto-rotated.bin.zst", "collector-proto"],
  ])("%s is read as %s, record for record the same as the JSON export", async (name, format) => {
    expect(await detectFormat(data(name))).toBe(format);
    const records = await read(data(name));
    expect(records).toHaveLength(4);
    expect(withoutSource(records)).toEqual(await expected());
  });

  it("reads an OTLP protobuf file one resource_spans at a time, as the whole request decodes, unknown fields skipped", async () => {
    // The request twice over (protobuf appends repeated fields of concatenated messages), with unknown
    // top-level fields of each wire type between: varint, fixed64, length-delimited, fixed32.
    const request = await readFile(data("otlp.binpb"));
    const unknown = Buffer.from([
      0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x22, 2, 9, 9, 0x2d, 1, 2, 3, 4,
    ]);
    const file = join(tmpdir(), `trailcheck-${process.pid}-twice.binpb`);
    await writeFile(file, Buffer.concat([request, unknown, request]));
    const once = await expected();
    expect(withoutSource(await read(file))).toEqual([...once, ...once]);
    const cut = join(tmpdir(), `trailcheck-${process.pid}-cut.binpb`);
    await writeFile(cut, Buffer.concat([request, unknown, request.subarray(0, 50)]));
    await expect(read(cut)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: cut },
      message: expect.stringMatching(new RegExp(`the field at byte ${request.length + unknown.length}\\)`)),
    });
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
    // Cut inside its first message: read as the export it is, not refused as of unknown format.
    const early = join(tmpdir(), `trailcheck-${process.pid}-early.bin`);
    await writeFile(early, bytes.subarray(0, 100));
    expect(await detectFormat(early)).toBe("collector-proto");
    await expect(read(early)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: early },
      message: expect.stringMatching(/ends inside message 1 of \d+ bytes at byte 0/),
    });
    const corrupt = Buffer.from(bytes);
    corrupt[10] = corrupt[10]! ^ 0xff;
    const bad = join(tmpdir(), `trailcheck-${process.pid}-bad.bin`);
    await writeFile(bad, corrupt);
    await expect(read(bad)).rejects.toMatchObject({ code: "bad-trace", location: { file: bad, line: 1 } });
  });

  it("stops decompressing a message at 256 MiB, naming the file and the message (a 9 KB zstd bomb)", async () => {
    // fzstd's one-shot decoder expanded such a frame whole; a 3 GB one took 5.9 GB of memory, and JSON
    // past 512 MiB crashed as an internal error (a string longer than V8 allows).
    const bomb = data("collector-zstd-bomb.bin");
    expect(await detectFormat(bomb)).toBe("collector-proto");
    await expect(read(bomb)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: bomb, line: 1 },
      message: expect.stringMatching(/message 1 decompresses to more than 256 MiB/),
    });
  });

  it("reads a length-prefixed export whose first message is 16 MiB or more (its length's first byte is not zero)", async () => {
    // The collector writes the message's length as 4 big-endian bytes (exportMessageAsBuffer in
    // exporter/fileexporter/file_writer.go); proto3 readers skip the unknown field that pads it.
    const request = await readFile(data("otlp.binpb"));
    const pad = Buffer.alloc(16 * 1024 * 1024);
    // field 99, length-delimited: tag varint 0x9a 0x06, then the length as a varint
    const unknown = Buffer.concat([Buffer.from([0x9a, 0x06, 0x80, 0x80, 0x80, 0x08]), pad]);
    const frame = (b: Buffer) =>
      Buffer.concat([
        Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]),
        b,
      ]);
    const big = Buffer.concat([request, unknown]);
    expect(big[0]).toBe(0x0a);
    const file = join(tmpdir(), `trailcheck-${process.pid}-big.bin`);
    await writeFile(file, Buffer.concat([frame(big), frame(request)]));
    expect(await detectFormat(file)).toBe("collector-proto");
    expect(await read(file)).toHaveLength(8);
    const lone = join(tmpdir(), `trailcheck-${process.pid}-lone.bin`);
    await writeFile(lone, frame(big));
    expect(await detectFormat(lone)).toBe("collector-proto");
  });

  it("cuts messages the same whatever the chunks a stream delivers them in", async () => {
    const bytes = await readFile(data("collector-proto-zstd.bin"));
    const whole: Buffer[] = [];
    for await (const f of readFrames(Readable.from([bytes]), "x")) whole.push(Buffer.from(f.bytes));
    const bits = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const cut: { bytes: Buffer; offset: number; index: number }[] = [];
    for await (const f of readFrames(Readable.from(bits), "x"))
      cut.push({ bytes: Buffer.from(f.bytes), offset: f.offset, index: f.index });
    expect(whole).toHaveLength(2);
    expect(cut.map((f) => f.bytes)).toEqual(whole);
    expect(cut.map((f) => [f.index, f.offset])).toEqual([
      [1, 0],
      [2, 4 + whole[0]!.length],
    ]);
  });

  it("names the file when a whole-file zstd export ends inside a frame or is corrupt", async () => {
    const bytes = await readFile(data("native-json.jsonl.zst"));
    const cut = join(tmpdir(), `trailcheck-${process.pid}-cut.jsonl.zst`);
    await writeFile(cut, bytes.subarray(0, bytes.length - 5));
    await expect(read(cut)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: cut },
      message: expect.stringMatching(/ends inside a zstd frame/),
    });
    const corrupt = Buffer.from(bytes);
    corrupt.fill(0xff, 20, 60);
    const bad = join(tmpdir(), `trailcheck-${process.pid}-bad.jsonl.zst`);
    await writeFile(bad, corrupt);
    await expect(read(bad)).rejects.toMatchObject({ location: { file: bad } });
  });

  it("refuses a zstd frame whose content does not match its checksum, in a message and in a file compressed whole", async () => {
    // zstd ends a frame with the low 32 bits of XXH64 of its content (RFC 8878 §3.1.1); fzstd skips
    // it, so a changed frame was read and judged. `zstd -t` refuses both files.
    const framed = Buffer.from(await readFile(data("collector-proto-zstd.bin")));
    const firstEnd = 4 + framed.readUInt32BE(0);
    framed[firstEnd - 1] = framed[firstEnd - 1]! ^ 0x01;
    const message = join(tmpdir(), `trailcheck-${process.pid}-crc.bin`);
    await writeFile(message, framed);
    await expect(read(message)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file: message, line: 1 },
      message: expect.stringMatching(/message 1: zstd frame 1 does not match its checksum/),
    });
    const whole = Buffer.from(await readFile(data("native-proto-rotated.bin.zst")));
    whole[whole.length - 1] = whole[whole.length - 1]! ^ 0x01;
    const file = join(tmpdir(), `trailcheck-${process.pid}-crc.bin.zst`);
    await writeFile(file, whole);
    await expect(read(file)).rejects.toMatchObject({
      code: "bad-trace",
      location: { file },
      message: expect.stringMatching(/zstd frame 2 \(compressed bytes \d+–\d+\) does not match its checksum/),
    });
  });
});
