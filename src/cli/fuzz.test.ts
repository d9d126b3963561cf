import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InputError } from "../errors.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { runFuzz } from "./fuzz.js";

const ROOT = join(import.meta.dirname, "..", "..");
// Each CLI process pays tsx's start-up (seconds on a loaded CI machine): only the replay round trips spawn one.
// They run one after another: four fuzz processes at once on two cores each took over two minutes.
const SPAWN_TIMEOUT = 240_000;

async function fuzz(args: string[], cwd = ROOT) {
  const r = await execa("node", [...DEV_CLI, "fuzz", ...args], { cwd, reject: false });
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

/** runFuzz in this process, its stdout captured. */
async function fuzzHere(flags: Parameters<typeof runFuzz>[0], cwd = ROOT) {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const code = await runFuzz(flags, cwd);
  vi.restoreAllMocks();
  return { code, out };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** `npx trailcheck fuzz A B C` → [A, B, C] (the arguments are plain words or single-quoted). */
function replayArgs(command: string): string[] {
  const rest = command.replace(/^npx trailcheck fuzz /, "");
  return [...rest.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1]?.replaceAll("'\\''", "'") ?? m[2]!);
}

describe("trailcheck fuzz (CLI)", () => {
  it(
    "filter.yaml: finds the cause, and the replay command reproduces the same minimal run (JSON)",
    async () => {
      const first = await fuzz([
        "--logging",
        "examples/logging/filter.yaml",
        "--seed",
        "4",
        "--format",
        "json",
      ]);
      expect(first.code, first.err).toBe(1);
      const report = JSON.parse(first.out);
      expect(report).toMatchObject({ version: 1, runs: 200, seed: 4 });
      const c = report.counterexample;
      expect(new Set(c.gaps.map((g: { cause: string }) => g.cause))).toEqual(new Set(["filter"]));
      expect(c.replay).toMatch(
        /^npx trailcheck fuzz --logging examples\/logging\/filter.yaml --seed 4 --path [\d:]+ --runs 200$/,
      );
      expect(report.probabilities.length).toBeGreaterThan(0);
      for (const p of report.probabilities) {
        expect(Object.keys(p)).toEqual(["stream", "kind", "class", "exact", "observed", "runs"]);
      }
      const again = await fuzz([...replayArgs(c.replay), "--format", "json"]);
      expect(again.code, again.err).toBe(1);
      const replayed = JSON.parse(again.out).counterexample;
      expect(replayed.records).toEqual(c.records);
      expect(replayed.gaps).toEqual(c.gaps);
      expect(replayed.replay).toBe(c.replay);
    },
    SPAWN_TIMEOUT,
  );

  it.each([
    ["redaction.yaml", "redaction", []],
    ["sampling.yaml", "sampling", []],
    ["retention.yaml", "retention", ["--convention", "openai-agents"]],
  ])(
    "%s: finds the cause, and the printed replay command prints the same minimal run (text)",
    async (file, cause, extra) => {
      const first = await fuzz(["--logging", `examples/logging/${file}`, "--seed", "4", ...extra]);
      expect(first.code, first.err).toBe(1);
      expect(first.out).toContain(` ${cause} `);
      const replay = /^replay: (.*)$/m.exec(first.out)![1]!;
      expect(replay).toMatch(
        new RegExp(`--logging examples/logging/${file} --seed 4 --path [\\d:]+ --runs 200`),
      );
      const again = await fuzz(replayArgs(replay));
      expect(again.code, again.err).toBe(1);
      // Everything from the minimal run on: timeline, gaps, seed, path, replay, probabilities.
      const body = (out: string) => out.slice(out.indexOf("minimal run:"));
      expect(body(again.out)).toBe(body(first.out));
      expect(again.out).toContain("replaying path");
    },
    SPAWN_TIMEOUT,
  );
});

describe("runFuzz", () => {
  it("exits 0 when every property holds", async () => {
    const r = await fuzzHere({
      logging: "examples/logging/passing.yaml",
      runs: "50",
      seed: "2",
      format: "json",
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ version: 1, runs: 50, seed: 2, counterexample: null });
    expect(JSON.parse(r.out).unexercised).toEqual([]);
  });

  it("names a filter no generated run set off beside 'no counterexample'", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-fuzz-unexercised-"));
    try {
      const passing = await readFile(join(ROOT, "examples/logging/passing.yaml"), "utf8");
      const filter = [
        "      - filter:",
        "          traces:",
        "            span:",
        `              - 'resource.attributes["deployment.environment"] == "production"'`,
      ].join("\n");
      const yaml = passing.replace(
        /( {2}- name: actions\n.*\n {4}processors:\n {6}- batch: \{\}\n)/,
        `$1${filter}\n`,
      );
      expect(yaml).not.toBe(passing);
      const file = join(dir, "logging.yaml");
      await writeFile(file, yaml);
      const r = await fuzzHere({ logging: file, runs: "30", seed: "2" });
      expect(r.code).toBe(0);
      expect(r.out).toContain("no counterexample: every property held over 30 run(s)");
      expect(r.out).toMatch(/not exercised: actions\/filter\[1\] dropped nothing in 30 generated run\(s\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects bad input (exit 2)", async () => {
    const logging = "examples/logging/passing.yaml";
    await expect(fuzzHere({ logging, convention: "langchain" })).rejects.toThrow(
      "--convention must be one of native, genai, ai-sdk, openinference, openai-agents, not 'langchain'",
    );
    await expect(fuzzHere({ logging, path: "1:x" })).rejects.toThrow(InputError);
    await expect(fuzzHere({ logging, runs: "0" })).rejects.toThrow("--runs must be an integer from 1");
    await expect(fuzzHere({ logging, seed: "1.5" })).rejects.toThrow("--seed must be an integer");
    // Without --logging the project's logging config is judged; a folder without one has none.
    const bare = await mkdtemp(join(tmpdir(), "trailcheck-fuzz-bare-"));
    try {
      await expect(fuzzHere({ runs: "5" }, bare)).rejects.toThrow("no logging config: pass --logging FILE");
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it("--save-counterexample writes an incident with source: counterexample", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-fuzz-test-"));
    try {
      const logging = join(ROOT, "examples", "logging", "filter.yaml");
      const r = await fuzzHere({ logging, seed: "4", runs: "50", saveCounterexample: true }, dir);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/saved as INC-0001: incidents\/INC-0001-counterexample-.*\.yaml/);
      const files = (await readdir(join(dir, "incidents"))).sort();
      expect(files).toHaveLength(2);
      const yaml = await readFile(join(dir, "incidents", files.find((f) => f.endsWith(".yaml"))!), "utf8");
      expect(yaml).toContain("source: counterexample");
      expect(yaml).toContain("- tool:");
      expect(yaml).toMatch(/Replay: npx trailcheck fuzz --logging \S+filter\.yaml --seed 4 --path/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
