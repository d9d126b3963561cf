import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExclusive, isTempName, tempPath, writeFileAtomic, writeFilesAtomic } from "./atomic-write.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-atomic-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("atomic writes", () => {
  it("replaces a whole file, making its folders, and leaves no temporary file", async () => {
    const file = join(dir, "a", "b", "state.json");
    await writeFileAtomic(file, "old");
    await writeFileAtomic(file, "new");
    expect(await readFile(file, "utf8")).toBe("new");
    expect(await readdir(join(dir, "a", "b"))).toEqual(["state.json"]);
  });

  it("writes several files, with the permission bits asked for", async () => {
    const [one, two] = [join(dir, "m", "one"), join(dir, "m", "two")];
    await writeFilesAtomic([
      { path: one, data: "1" },
      { path: two, data: new Uint8Array([50]), mode: 0o600 },
    ]);
    expect(await readFile(one, "utf8")).toBe("1");
    expect(await readFile(two, "utf8")).toBe("2");
    expect((await stat(two)).mode & 0o777).toBe(0o600);
  });

  it("createExclusive never replaces a name, and cleans up after itself", async () => {
    const file = join(dir, "key.pem");
    await createExclusive(file, "first", { mode: 0o600 });
    await expect(createExclusive(file, "second")).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(file, "utf8")).toBe("first");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter(isTempName)).toEqual([]);
  });

  it("recognises its own temporary names, and only those", () => {
    const temp = tempPath(join(dir, "000001.cp"));
    expect(isTempName(temp.slice(dir.length + 1))).toBe(true);
    expect(isTempName(".tmp-0a1b2c")).toBe(true);
    expect(isTempName("000001.cp")).toBe(false);
    expect(isTempName(".000001.cp.old-0a1b2c")).toBe(false);
  });
});
