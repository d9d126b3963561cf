import { constants } from "node:buffer";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough, Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.js";
import { readLines } from "./read-lines.js";

/** Text pieces that stress line ends and decoding: CR, LF, multi-byte characters, a BOM, invalid bytes. */
const piece = fc.constantFrom(
  Buffer.from("a"),
  Buffer.from(" "),
  Buffer.from("\n"),
  Buffer.from("\r"),
  Buffer.from("\r\n"),
  Buffer.from("é"),
  Buffer.from("€"),
  Buffer.from("😀"),
  Buffer.from("\uFEFF"),
  Buffer.from([0xff]),
  Buffer.from([0xe2, 0x82]),
);
const input = fc.array(piece, { maxLength: 60 }).map((parts) => Buffer.concat(parts));
/** Cut points, as fractions of the input. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

function chunked(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

/**
 * What `node:readline` makes of the chunks read as UTF-8 text (as the reader before this one read a
 * file: `createReadStream(file, { encoding: "utf8" })`): every line, blank ones included.
 */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const text = new PassThrough();
  text.setEncoding("utf8");
  for (const chunk of chunks) text.write(chunk);
  text.end();
  const out: string[] = [];
  const rl = createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) out.push(line);
  return out;
}

/** The lines of `readLines` before it drops a BOM and blank lines, as the old reader numbered them. */
function numbered(lines: string[]): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  lines.forEach((raw, i) => {
    const text = i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (/[^ \t\r]/.test(text)) out.push({ text, line: i + 1 });
  });
  return out;
}

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe("LineSplitter", () => {
  it("cuts and decodes lines exactly as readline does, however the bytes arrive", async () => {
    await fc.assert(
      fc.asyncProperty(input, cuts, fc.integer({ min: 1, max: 8 }), async (bytes, at, readBytes) => {
        const expected = await readlineLines(chunked(bytes, at));
        // As a file is read: bytes written into the splitter's own buffer, reads of any size.
        const splitter = new LineSplitter(readBytes);
        const lines: string[] = [];
        for (const chunk of chunked(bytes, at)) {
          for (let k = 0; k < chunk.length; ) {
            const { buffer, offset, length } = splitter.room();
            const n = Math.min(length, chunk.length - k);
            chunk.copy(buffer, offset, k, k + n);
            splitter.wrote(n);
            k += n;
            lines.push(...splitter.take(false));
          }
        }
        lines.push(...splitter.take(true));
        expect(lines).toEqual(expected);
        // As a stream is read: chunks appended.
        expect(await collect(readLines(Readable.from(chunked(bytes, at))))).toEqual(numbered(expected));
      }),
      { numRuns: 500 },
    );
  });

  it("reads a file as readline reads it, lines longer than one read included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailcheck-lines-"));
    const file = join(dir, "lines.txt");
    const long = "x".repeat(600 * 1024);
    const text = `\uFEFF{"a":1}\r\n\n  \r${long}\r\n€${long}\rlast`;
    writeFileSync(file, text);
    const expected = numbered(await readlineLines([Buffer.from(text)]));
    expect(expected.map((l) => l.line)).toEqual([1, 4, 5, 6]);
    expect(await collect(readLines(file))).toEqual(expected);
  });

  it("refuses a line longer than it takes, whether it ends in the bytes held or runs on", () => {
    const ends = new LineSplitter(4, 10);
    ends.append(Buffer.from("short\nmuch too long a line\nnext\n"));
    expect(() => ends.take(false)).toThrow(expect.objectContaining({ name: "LineTooLong", index: 1 }));
    const runs = new LineSplitter(4, 10);
    runs.append(Buffer.from("a\nb\n0123456789abc"));
    expect(() => runs.take(false)).toThrow(expect.objectContaining({ name: "LineTooLong", index: 2 }));
    const fits = new LineSplitter(4, 10);
    fits.append(Buffer.from("0123456789\n0123456789"));
    expect(fits.take(true)).toEqual(["0123456789", "0123456789"]);
  });

  it("names the file and the line of a line longer than a JavaScript string, instead of crashing", async () => {
    // Decoding a 600 MB line failed inside Buffer.toString (ERR_STRING_TOO_LONG), an internal error.
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    async function* hugeSecondLine() {
      yield Buffer.from('{"a":1}\n\n');
      for (let i = 0; i * mib.length <= constants.MAX_STRING_LENGTH; i++) yield mib;
      yield Buffer.from("\n");
    }
    const lines = readLines(Readable.from(hugeSecondLine()), "export.jsonl");
    await expect(collect(lines)).rejects.toMatchObject({
      code: "bad-json",
      location: { file: "export.jsonl", line: 3 },
    });
  });
});
