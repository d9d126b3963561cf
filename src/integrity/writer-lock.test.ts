import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { WRITER_LOCK } from "./store-layout.js";
import { takeWriterLock } from "./writer-lock.js";

cleanupAfterEach();

const lockOf = (pid: number, more: object = {}) =>
  JSON.stringify({ pid, host: hostname(), since: "2025-01-01T00:00:00.000Z", ...more });

describe("takeWriterLock", () => {
  it("refuses while the holder lives, and is free again once released", async () => {
    const dir = await tempDir();
    const lock = takeWriterLock(dir, `the log ${dir}`);
    expect(() => takeWriterLock(dir, `the log ${dir}`)).toThrow(
      /the log .* is open for writing by this process/,
    );
    lock.release();
    lock.release();
    takeWriterLock(dir, `the log ${dir}`).release();
  });

  it("takes over the lock of a process that is gone, of another boot, or cut short while written", async () => {
    const dir = await tempDir();
    const gone = Number(execFileSync(process.execPath, ["-p", "process.pid"], { encoding: "utf8" }));
    for (const left of [lockOf(gone), lockOf(process.pid, { boot: "another-boot" }), ""]) {
      await writeFile(join(dir, WRITER_LOCK), left);
      const lock = takeWriterLock(dir, `the log ${dir}`);
      expect(JSON.parse(await readFile(join(dir, WRITER_LOCK), "utf8"))).toMatchObject({ pid: process.pid });
      lock.release();
    }
  });

  it("refuses a lock it cannot check, naming the file to remove", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, WRITER_LOCK), JSON.stringify({ pid: 1, host: "elsewhere", since: "x" }));
    expect(() => takeWriterLock(dir, `the log ${dir}`)).toThrow(
      new RegExp(`process 1 on elsewhere .* remove ${join(dir, WRITER_LOCK)}`),
    );
  });
});
