import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { frameAt } from "./zstd-frames.js";

const data = (name: string) => join(import.meta.dirname, "testdata", name);

describe("frameAt", () => {
  it("walks the frames the zstd tool wrote, each with its checksum, to the end of the file", async () => {
    const bytes = await readFile(data("native-proto-rotated.bin.zst"));
    const first = frameAt(bytes, 0)!;
    const second = frameAt(bytes, first.end)!;
    expect(second.end).toBe(bytes.length);
    expect(first.checksum).toBe(bytes.readUInt32LE(first.end - 4));
    expect(second.checksum).toBe(bytes.readUInt32LE(bytes.length - 4));
    expect(frameAt(bytes.subarray(0, first.end - 1), 0)).toBeUndefined();
  });

  it("spans a skippable frame by its size, and refuses bytes that open no frame", () => {
    const skippable = Buffer.from([0x5f, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    expect(frameAt(skippable, 0)).toEqual({ end: 11, skippable: true });
    expect(frameAt(skippable.subarray(0, 10), 0)).toBeUndefined();
    expect(() => frameAt(Buffer.from("garbage!"), 0)).toThrow(/not a zstd frame/);
  });
});
