import { mkdtempSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
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
});
