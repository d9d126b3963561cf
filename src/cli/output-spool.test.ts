import { mkdtempSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { spoolText } from "../testing/spool-to-stdout.js";
import { OutputSpool } from "./output-spool.js";

async function written(spool: OutputSpool): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await spool.writeTo(out);
  return Buffer.concat(chunks).toString("utf8");
}

const parent = mkdtempSync(join(tmpdir(), "trailcheck-spool-test-"));
const spoolDirs = async () => (await readdir(parent)).filter((n) => n.startsWith("trailcheck-output-"));

describe("OutputSpool", () => {
  it("gives back what was added, in order, from memory or from its file, and leaves no file behind", async () => {
    const before = await spoolDirs();
    const small = new OutputSpool(parent);
    small.add("a");
    small.add("é\n");
    expect(await written(small)).toBe("aé\n");
    const big = new OutputSpool(parent);
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 6 * 1024; i++) big.add(line); // 6 MB: past what stays in memory
    expect((await spoolDirs()).length).toBe(before.length + 1);
    const text = await written(big);
    expect(text.length).toBe(6 * 1024 * 1024);
    expect(text.startsWith(line) && text.endsWith(line)).toBe(true);
    expect(await spoolDirs()).toEqual(before);
  });

  it("keeps at most a megabyte in memory: a check's memory does not follow the size of its report", async () => {
    const before = await spoolDirs();
    const spool = new OutputSpool(parent);
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 1024; i++) spool.add(line);
    expect(await spoolDirs()).toEqual(before);
    spool.add(line);
    expect((await spoolDirs()).length).toBe(before.length + 1);
    expect((await written(spool)).length).toBe(1025 * 1024);
  });

  it("keeps multi-byte text and pieces longer than its write buffer intact once in its file", async () => {
    const spool = new OutputSpool(parent);
    // Past the in-memory limit first; then pieces that fit the buffer, and one that does not.
    const parts = [
      "x".repeat(4.5 * 1024 * 1024),
      "é".repeat(300 * 1024),
      "€😀\n",
      "ü".repeat(1024 * 1024),
      "end",
    ];
    for (const p of parts) spool.add(p);
    expect(await written(spool)).toBe(parts.join(""));
  });

  it("discards its file", async () => {
    const before = await spoolDirs();
    const spool = new OutputSpool(parent);
    for (let i = 0; i < 5000; i++) spool.add("y".repeat(1024));
    spool.discard();
    expect(await spoolDirs()).toEqual(before);
  });

  it("writes a process's stdout from one reused chunk only where that is safe: to a file and to a pipe", async () => {
    // A file takes each write at once; a pipe that is not read fast keeps the chunk it could not write.
    const script = join(import.meta.dirname, "..", "testing", "spool-to-stdout.ts");
    const runTs = join(import.meta.dirname, "..", "..", "bin", "run-ts.js");
    const lines = 12_000;
    const expected = spoolText(lines).join("");
    expect(Buffer.byteLength(expected)).toBeGreaterThan(4 * 1024 * 1024);
    const file = join(mkdtempSync(join(parent, "stdout-")), "out.txt");
    await execa("node", [runTs, script, String(lines)], { stdout: { file } });
    expect(readFileSync(file, "utf8") === expected).toBe(true);
    const piped = await execa("node", [runTs, script, String(lines)], { stripFinalNewline: false });
    expect(piped.stdout === expected).toBe(true);
  });
});
