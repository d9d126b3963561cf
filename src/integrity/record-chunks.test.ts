import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leafHash } from "./hash.js";
import { packedLeavesBytes, parseLeaves } from "./leaves-file.js";
import { DigestPacker, unpackDigests } from "./packed-digests.js";
import { readRecordChunks, readRecordLines } from "./record-chunks.js";
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
});
