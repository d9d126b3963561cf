// `report --merge` writes its four files all or nothing, and refuses shards judged under other configs.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleResults } from "../testing/example-results.js";
import { runCliHere } from "../testing/run-cli.js";
import type { Results } from "./results.js";
import { REPORT_FILES, resultsText, writeReports } from "./write.js";

let dir: string;
let results: Results;

const snapshot = async (d: string) =>
  Object.fromEntries(
    await Promise.all((await readdir(d)).sort().map(async (f) => [f, await readFile(join(d, f), "utf8")])),
  );

const cli = runCliHere;

/** A shard folder holding `r` as its results.json. */
async function shard(name: string, r: Results): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, "results.json"), resultsText(r));
  return d;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-report-"));
  results = await exampleResults();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the report's four files", () => {
  it("a failure between two of them leaves the previous report whole", async () => {
    const out = join(dir, "report");
    await writeReports(results, out);
    const before = await snapshot(out);
    const changed: Results = { ...results, generatedAt: "2030-01-01T00:00:00.000Z" };
    await expect(
      writeReports(changed, out, {
        beforeRename: (name) => {
          if (name === "summary.md") throw new Error("disk gone");
        },
      }),
    ).rejects.toThrow("disk gone");
    expect(await snapshot(out)).toEqual(before);
    await writeReports(changed, out);
    expect(await readFile(join(out, "results.json"), "utf8")).toContain("2030-01-01");
    expect((await readdir(out)).sort()).toEqual([...REPORT_FILES].sort());
  });

  it("a first report that fails leaves no file behind", async () => {
    const out = join(dir, "fresh");
    await expect(
      writeReports(results, out, {
        beforeRename: (name) => {
          if (name === "junit.xml") throw new Error("disk gone");
        },
      }),
    ).rejects.toThrow("disk gone");
    expect(await readdir(out)).toEqual([]);
  });

  it("an output that is a file, or a report file that is a folder, is bad input and changes nothing", async () => {
    const one = await shard("one", results);
    const file = join(dir, "a-file");
    await writeFile(file, "mine\n");
    const r = await cli(["report", "--merge", one, "--output", file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`trailcheck: ${file}: the output folder is a file, not a folder\n`);
    expect(await readFile(file, "utf8")).toBe("mine\n");
    const out = join(dir, "blocked");
    await mkdir(join(out, "summary.md"), { recursive: true });
    const blocked = await cli(["report", "--merge", one, "--output", out]);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toContain("summary.md in the output folder is not a file; nothing was written");
    expect(await readdir(out)).toEqual(["summary.md"]);
  });
});

describe("report --merge", () => {
  it("refuses shards judged under different configs (exit 2), writing nothing", async () => {
    const env = (sha: string) => ({
      ...results.environment,
      configFiles: [
        { path: "trailcheck.config.yaml", sha256: "a".repeat(64), role: "project" as const },
        { path: "logging.yaml", sha256: sha, role: "logging" as const },
      ],
    });
    const one = await shard("s1", { ...results, environment: { ...env("b".repeat(64)), shard: "1/2" } });
    const two = await shard("s2", { ...results, environment: { ...env("c".repeat(64)), shard: "2/2" } });
    const out = join(dir, "merged");
    const r = await cli(["report", "--merge", one, two, "--output", out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `trailcheck: ${join(two, "results.json")}: judged under other configs than ${join(one, "results.json")}: logging.yaml is SHA-256 cccccccccccc… here, SHA-256 bbbbbbbbbbbb… there; merge only shards of one run\n`,
    );
    await expect(readdir(out)).rejects.toThrow();
    const same = await shard("s3", { ...results, environment: { ...env("b".repeat(64)), shard: "2/2" } });
    expect((await cli(["report", "--merge", one, same, "--output", out])).code).toBe(results.exitCode);
  });

  it("refuses a set that is not every shard of one run once (exit 2): a shard left out would drop its tests", async () => {
    // The shard left out may hold the failing tests: the others alone would merge into a pass.
    const passing: Results = { ...results, verdict: "pass", exitCode: 0, tests: [], findings: [] };
    const as = (name: string, mark: string | undefined) =>
      shard(name, {
        ...passing,
        environment: { ...results.environment, ...(mark ? { shard: mark } : {}) },
      });
    const [one, two, three, whole] = await Promise.all([
      as("w1", "1/3"),
      as("w2", "2/3"),
      as("w3", "3/3"),
      as("w0", undefined),
    ]);
    const other = await as("x2", "2/4");
    const out = join(dir, "partial");
    const refused = async (dirs: string[], message: string) => {
      const r = await cli(["report", "--merge", ...dirs, "--output", out]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      await expect(readdir(out)).rejects.toThrow();
    };
    await refused([two, three], "trailcheck: shard 1/3 missing");
    await refused([three], "shards 1/3, 2/3 missing");
    await refused(
      [one, two, two, three],
      `${join(two, "results.json")}: shard 2/3 is also ${join(two, "results.json")}`,
    );
    await refused([one, other, three], `${join(other, "results.json")}: shard 2/4 while`);
    await refused([one, two, three, whole], `${join(whole, "results.json")}: not a shard`);
    expect((await cli(["report", "--merge", three, one, two, "--output", out])).code).toBe(0);
    expect((await cli(["report", "--merge", whole, "--output", join(dir, "again")])).code).toBe(0);
  });
});
