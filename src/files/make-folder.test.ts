import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../errors.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { exampleResults } from "../testing/example-results.js";
import { runCliHere } from "../testing/run-cli.js";
import { makeFolder } from "./make-folder.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TRACE = join(ROOT, "examples", "traces", "ai-sdk-v6.otlp.json");
// Under /proc every level answers "no such file": Node's recursive mkdir retries it for ever.
const UNDER_PROC = "/proc/trailcheck-no-such-folder/deeper";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-folders-"));
  await writeFile(join(dir, "a-file"), "not a folder\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("makeFolder", () => {
  it("makes the missing folders, top first, and says which it made", async () => {
    const made = await makeFolder(join(dir, "a", "b", "c"));
    expect(made).toEqual([join(dir, "a"), join(dir, "a", "b"), join(dir, "a", "b", "c")]);
    expect((await stat(join(dir, "a", "b", "c"))).isDirectory()).toBe(true);
    expect(await makeFolder(join(dir, "a", "b"))).toEqual([]);
  });

  it("fails with the file system's error where a level cannot be made", async () => {
    await expect(makeFolder(UNDER_PROC)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(makeFolder(join(dir, "a-file", "x"))).rejects.toMatchObject({
      code: "ENOTDIR",
      path: join(dir, "a-file"),
    });
    await expect(makeFolder(join(dir, "a-file"))).rejects.toMatchObject({ code: "ENOTDIR" });
  }, 60_000);
});

describe("a folder that cannot be made is bad input, at once", () => {
  it("incident add --dir under /proc exits 2 naming the folder", async () => {
    const r = await execa("node", [...DEV_CLI, "incident", "add", TRACE, "--dir", UNDER_PROC], {
      reject: false,
      timeout: 60_000,
      cwd: dir,
    });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode, r.stderr).toBe(ExitCode.badInput);
    expect(r.stderr).toMatch(/cannot write into the incidents folder \/proc\/trailcheck-no-such-folder/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 90_000);

  it("keygen, seal and the report writer refuse it the same way", async () => {
    const key = await runCliHere(["keygen", "--out", UNDER_PROC]);
    expect(key.code, key.err).toBe(ExitCode.badInput);
    expect(key.err).toContain("/proc/trailcheck-no-such-folder");
    await runCliHere(["keygen", "--out", join(dir, "key")]);
    const seal = await runCliHere([
      "seal",
      "--in",
      TRACE,
      "--out",
      UNDER_PROC,
      "--key",
      join(dir, "key", "private.pem"),
    ]);
    expect(seal.code, seal.err).toBe(ExitCode.badInput);
    expect(seal.err).toContain("/proc/trailcheck-no-such-folder");
    const shard = join(dir, "shard");
    await makeFolder(shard);
    await writeFile(join(shard, "results.json"), JSON.stringify(await exampleResults()));
    const report = await runCliHere(["report", "--merge", shard, "--output", UNDER_PROC]);
    expect(report.code, report.err).toBe(ExitCode.badInput);
    expect(report.err).toContain("/proc/trailcheck-no-such-folder");
  }, 60_000);
});
