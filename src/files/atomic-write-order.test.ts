// The order of the system calls behind an atomic write, which is what makes it survive a power cut:
// each file's data is synced before any name points at it, and the folder is synced after the last
// rename and before the write reports success. node:fs is wrapped to log the calls as they happen.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const log = vi.hoisted(() => ({ calls: [] as string[], failSyncOf: undefined as string | undefined }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const paths = new Map<number, string>();
  const name = (path: string) => path.split("/").at(-1)!;
  return {
    ...fs,
    openSync: (path: string, flags: string, mode?: number) => {
      const fd = fs.openSync(path, flags, mode);
      paths.set(fd, name(path));
      log.calls.push(`open ${name(path)}`);
      return fd;
    },
    fsync: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => {
      const path = paths.get(fd)!;
      if (log.failSyncOf !== undefined && path.startsWith(log.failSyncOf)) {
        done(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
        return;
      }
      fs.fsync(fd, (err) => {
        log.calls.push(`synced ${path}`);
        done(err);
      });
    },
    renameSync: (from: string, to: string) => {
      fs.renameSync(from, to);
      log.calls.push(`rename ${name(from)} ${name(to)}`);
    },
  };
});

const { isTempName, writeFilesAtomic } = await import("./atomic-write.js");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-atomic-order-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  log.calls.length = 0;
  log.failSyncOf = undefined;
});

describe("the order of an atomic write's system calls", () => {
  it("syncs every file before its rename, and the folder after the renames, before it resolves", async () => {
    const folder = join(dir, "checkpoints");
    const names = ["00000001.checkpoint", "00000002.checkpoint", "00000003.checkpoint"];
    await writeFilesAtomic(names.map((n, i) => ({ path: join(folder, n), data: `checkpoint ${i + 1}\n` })));
    log.calls.push("resolved");
    const at = (call: string) => log.calls.indexOf(call);
    for (const [i, n] of names.entries()) {
      const rename = log.calls.findIndex((c) => c.startsWith("rename ") && c.endsWith(` ${n}`));
      const temp = log.calls[rename]!.split(" ")[1]!;
      expect(isTempName(temp)).toBe(true);
      // Created, written and synced under the temporary name, then renamed in the order given.
      expect(at(`open ${temp}`)).toBeGreaterThanOrEqual(0);
      expect(at(`open ${temp}`)).toBeLessThan(at(`synced ${temp}`));
      expect(at(`synced ${temp}`)).toBeLessThan(rename);
      if (i > 0) expect(rename).toBeGreaterThan(log.calls.findIndex((c) => c.endsWith(` ${names[i - 1]}`)));
      expect(await readFile(join(folder, n), "utf8")).toBe(`checkpoint ${i + 1}\n`);
    }
    const lastRename = log.calls.findLastIndex((c) => c.startsWith("rename "));
    expect(at("open checkpoints")).toBeGreaterThan(lastRename);
    expect(at("synced checkpoints")).toBeGreaterThan(at("open checkpoints"));
    expect(at("synced checkpoints")).toBeLessThan(at("resolved"));
    // One round of data syncs: every file is synced before the first one is renamed.
    const firstRename = log.calls.findIndex((c) => c.startsWith("rename "));
    expect(log.calls.filter((c, k) => c.startsWith("synced .") && k < firstRename)).toHaveLength(3);
  });

  it("a failed sync puts no name in place and leaves no temporary file", async () => {
    const folder = join(dir, "failing");
    log.failSyncOf = ".b.checkpoint";
    await expect(
      writeFilesAtomic(["a", "b", "c"].map((n) => ({ path: join(folder, `${n}.checkpoint`), data: n }))),
    ).rejects.toMatchObject({ code: "EIO" });
    expect(log.calls.filter((c) => c.startsWith("rename "))).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
  });

  it("writes a large file whole through the thread pool, and a small one beside it", async () => {
    const big = Buffer.alloc(300 * 1024, 0x61);
    big[big.length - 1] = 0x62;
    const [large, small] = [join(dir, "large.html"), join(dir, "small.json")];
    await writeFilesAtomic([
      { path: large, data: big },
      { path: small, data: "{}\n" },
    ]);
    expect((await readFile(large)).equals(big)).toBe(true);
    expect(await readFile(small, "utf8")).toBe("{}\n");
    expect((await readdir(dir)).filter(isTempName)).toEqual([]);
  });
});
