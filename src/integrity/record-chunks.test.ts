import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leafHash } from "./hash.js";
import { packedLeavesBytes, parseLeaves } from "./leaves-file.js";
import { DigestPacker, unpackDigests } from "./packed-digests.js";
import { RecordTooLong, readRecordChunks, readRecordLines } from "./record-chunks.js";
import { splitLines } from "./store-layout.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-chunks-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** File contents made of short lines, empty lines, long lines and maybe a torn last line. */
const contentArb = fc
  .array(fc.oneof(fc.string({ maxLength: 5 }), fc.string({ maxLength: 200 }), fc.constant("")), {
    maxLength: 30,
  })
  .chain((lines) =>
    fc.boolean().map((torn) => `${lines.join("\n")}${torn || lines.length === 0 ? "" : "\n"}`),
  );

describe("streaming a segment in chunks", () => {
  it("yields exactly the records splitLines finds, whatever the chunk size, and hashes them in place", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(contentArb, fc.integer({ min: 1, max: 64 }), async (content, chunkBytes) => {
        const file = join(dir, `segment-${n++}.jsonl`);
        await writeFile(file, content);
        const expected = splitLines(Buffer.from(content));
        const lines: string[] = [];
        for await (const line of readRecordLines(file)) lines.push(line.toString("utf8"));
        expect(lines).toEqual(expected.map((l) => l.toString("utf8")));
        const packer = new DigestPacker();
        for await (const { buf, from, to } of readRecordChunks(file, chunkBytes)) {
          expect(buf[from - 1]).toBeDefined(); // the spare byte hashAt borrows
          packer.addLeavesOf(buf, from, to);
        }
        const digests = packer.finish();
        expect(unpackDigests(digests)).toEqual(expected.map((l) => leafHash(l).toString("hex")));
        expect(parseLeaves(packedLeavesBytes(digests).toString("latin1"))).toEqual(unpackDigests(digests));
      }),
      { numRuns: 200 },
    );
  });

  it("leaves a chunk as it was while the caller holds it, though the next read is under way", async () => {
    const file = join(dir, "held.jsonl");
    const lines = Array.from({ length: 40 }, (_, i) => `{"record":${i},"pad":"${"x".repeat(i % 7)}"}`);
    await writeFile(file, `${lines.join("\n")}\n`);
    const seen: string[] = [];
    for await (const { buf, from, to } of readRecordChunks(file, 48)) {
      const copy = buf.toString("utf8", from, to);
      // Time for the read of the next chunk to land (in the other buffer).
      await new Promise((done) => setTimeout(done, 2));
      expect(buf.toString("utf8", from, to)).toBe(copy);
      seen.push(copy);
    }
    expect(seen.join("")).toBe(`${lines.join("\n")}\n`);
  });

  it("lets a caller stop early, and fails the iteration, not the process, when a read fails", async () => {
    const file = join(dir, "early.jsonl");
    await writeFile(file, "a\nb\nc\nd\n");
    const chunks = readRecordChunks(file, 2);
    const first = await chunks.next();
    expect(first.done).toBe(false);
    await chunks.return(undefined);
    // A folder cannot be read: the error comes from the iteration, not as an unhandled rejection.
    await expect(async () => {
      for await (const _ of readRecordChunks(dir)) {
        // nothing
      }
    }).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("refuses a record longer than the limit once that much of it is held, naming where it starts", async () => {
    // A segment of one endless line (a sparse file of zeros, say): the reader held all of it, doubling
    // its buffer until the allocation failed — verify crashed (exit 70) after taking gigabytes.
    const file = join(dir, "endless.jsonl");
    await writeFile(file, `${"a".repeat(10)}\n${"b".repeat(20)}\n${"x".repeat(5000)}`);
    const seen: string[] = [];
    const read = async () => {
      for await (const { buf, from, to } of readRecordChunks(file, 16, 1000)) {
        seen.push(buf.toString("utf8", from, to));
        expect(buf.length).toBeLessThan(4 * 1000);
      }
    };
    await expect(read()).rejects.toThrow(new RecordTooLong(32, 1000));
    expect(seen.join("")).toBe(`${"a".repeat(10)}\n${"b".repeat(20)}\n`);
    // At the limit itself the record is read.
    const atLimit = join(dir, "at-limit.jsonl");
    await writeFile(atLimit, `${"x".repeat(1000)}\n`);
    let bytes = 0;
    for await (const { from, to } of readRecordChunks(atLimit, 16, 1000)) bytes += to - from;
    expect(bytes).toBe(1001);
  });
});
