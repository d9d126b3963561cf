import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStaleLock, STALE_LOCK_MS } from "./id-lock.js";
import { writeIncident } from "./write.js";

const ROOT = join(import.meta.dirname, "..", "..");
let dir: string;
const files = async () => (await readdir(dir)).sort();
const build = (id: string, runName: string) => ({ run: `{"run":"${runName}"}\n`, yaml: `id: ${id}\n` });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("incident id locks", () => {
  it("an add killed midway leaves nothing that burns its id: the next add reuses it and cleans up", async () => {
    const killed = await execa(
      "node",
      [join(ROOT, "bin", "run-ts.js"), join(import.meta.dirname, "testdata", "killed-add.ts"), dir],
      {
        reject: false,
      },
    );
    expect(killed.signal).toBe("SIGKILL");
    expect(await files()).toEqual([
      ".INC-0001-killed.yaml.tmp-0badc0ffee00",
      ".INC-0001.lock",
      "INC-0001-killed.run.jsonl",
    ]);
    const next = await writeIncident(dir, "next", build);
    expect(next.id).toBe("INC-0001");
    expect(await files()).toEqual(["INC-0001-next.run.jsonl", "INC-0001-next.yaml"]);
  }, 60_000);

  it("a lock in use is left alone: the add takes the next id", async () => {
    await writeFile(
      join(dir, ".INC-0001.lock"),
      JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }),
    );
    await writeFile(join(dir, ".INC-0001-busy.yaml.tmp-0123abcd"), "in flight");
    const next = await writeIncident(dir, "next", build);
    expect(next.id).toBe("INC-0002");
    expect(await files()).toEqual([
      ".INC-0001-busy.yaml.tmp-0123abcd",
      ".INC-0001.lock",
      "INC-0002-next.run.jsonl",
      "INC-0002-next.yaml",
    ]);
  });

  it("decides staleness by the holder's process, the lock's age, or an unreadable owner's age", () => {
    const now = 1_000_000_000;
    const lock = (o: object) => JSON.stringify({ pid: 42, host: "here", at: now - 1000, ...o });
    const alive = () => true;
    const dead = () => false;
    expect(isStaleLock(lock({}), now, now, dead, "here")).toBe(true);
    expect(isStaleLock(lock({}), now, now, alive, "here")).toBe(false);
    // Another host's process can't be asked: only age tells.
    expect(isStaleLock(lock({ host: "there" }), now, now, dead, "here")).toBe(false);
    expect(isStaleLock(lock({ host: "there", at: now - STALE_LOCK_MS - 1 }), now, now, alive, "here")).toBe(
      true,
    );
    expect(isStaleLock("", now - 5_000, now, alive, "here")).toBe(false);
    expect(isStaleLock("", now - 61_000, now, alive, "here")).toBe(true);
  });
});
