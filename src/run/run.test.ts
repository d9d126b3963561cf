// `trailcheck run`, `report --merge` and `init` as a user runs them: the CLI in a child process, on a
// project scaffolded by `init` inside .trailcheck-tmp/ (so `trailcheck/suites/*` resolves to this
// package), with the repository's incidents and a logging config that loses ordinary runs.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Results, ResultsSchema } from "../report/results.js";
import { cliWithClosedPipe } from "../testing/closed-pipe.js";
import { DEV_CLI } from "../testing/dev-cli.js";

const ROOT = join(import.meta.dirname, "..", "..");
let dir: string;

const cli = (args: string[], cwd = dir) =>
  execa("node", [...DEV_CLI, ...args], { cwd, reject: false, env: { CI: "1", NO_COLOR: "1" } });
const readResults = async (d: string): Promise<Results> =>
  ResultsSchema.parse(JSON.parse(await readFile(join(dir, d, "results.json"), "utf8")));

/** What must not differ between a sharded and an unsharded run: everything but timings and environment. */
const comparable = (r: Results) => ({
  ...r,
  generatedAt: undefined,
  environment: undefined,
  tests: r.tests.map((t) => ({ ...t, durationMs: undefined })),
});

beforeAll(async () => {
  await mkdir(join(ROOT, ".trailcheck-tmp"), { recursive: true });
  dir = await mkdtemp(join(ROOT, ".trailcheck-tmp", "run-"));
  const init = await cli(["init", "--dir", dir], ROOT);
  expect(init.exitCode, init.stderr).toBe(0);
  await cp(join(ROOT, "examples/logging/sampling.yaml"), join(dir, "logging.yaml"));
  // A few property runs are enough here: this test is about run, shards and merge, not the properties.
  const config = join(dir, "trailcheck.config.yaml");
  await writeFile(config, (await readFile(config, "utf8")).replace("numRuns: 200", "numRuns: 20\n  seed: 7"));
  for (const f of await readdir(join(ROOT, "incidents"))) {
    if (f.startsWith("INC-")) await cp(join(ROOT, "incidents", f), join(dir, "incidents", f));
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trailcheck init", () => {
  it("scaffolds config, suites, incidents, a logging config and a workflow", async () => {
    const files = await readdir(dir, { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining([
        "trailcheck.config.yaml",
        "logging.yaml",
        join("suites", "incidents.test.ts"),
        join("suites", "config-checks.test.ts"),
        join("suites", "properties.test.ts"),
        join("suites", "replays.test.ts"),
        join("scenarios", "first-run.yaml"),
        ".gitignore",
        join("incidents", ".gitkeep"),
        join(".github", "workflows", "trailcheck.yml"),
      ]),
    );
  });

  it("refuses to overwrite any file and writes nothing (exit 2)", async () => {
    const other = await mkdtemp(join(ROOT, ".trailcheck-tmp", "init-"));
    try {
      await writeFile(join(other, "logging.yaml"), "mine\n");
      const r = await cli(["init", "--dir", other], ROOT);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain("not overwriting logging.yaml; nothing was written");
      expect(await readdir(other)).toEqual(["logging.yaml"]);
      expect(await readFile(join(other, "logging.yaml"), "utf8")).toBe("mine\n");
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("trailcheck run", () => {
  it("writes the four files and exits 1 on gaps; two shards merged equal one run", async () => {
    const whole = await cli(["run", "--output", "whole", "--concurrency", "2"]);
    expect(whole.exitCode, whole.stderr).toBe(1);
    expect(whole.stdout).toMatch(/trailcheck: gaps — \d+ passed, [1-9]\d* failed/);
    expect((await readdir(join(dir, "whole"))).sort()).toEqual([
      "index.html",
      "junit.xml",
      "results.json",
      "summary.md",
    ]);
    const results = await readResults("whole");
    // The incidents suite hands its verdicts over as metadata, so its tests carry their gaps.
    expect([...new Set(results.tests.map((t) => t.kind))].sort()).toEqual([
      "check",
      "incident",
      "property",
      "test",
    ]);
    const failedIncident = results.tests.find((t) => t.kind === "incident" && t.state === "failed");
    expect(failedIncident?.result?.verdicts.flatMap((v) => v.gaps).length).toBeGreaterThan(0);
    expect(results.environment.configFiles.map((f) => f.path)).toEqual([
      "trailcheck.config.yaml",
      "logging.yaml",
    ]);

    for (const i of [1, 2]) {
      const shard = await cli(["run", "--shard", `${i}/2`, "--output", `shard-${i}`, "--concurrency", "1"]);
      expect([0, 1], shard.stderr).toContain(shard.exitCode);
      expect((await readResults(`shard-${i}`)).environment.shard).toBe(`${i}/2`);
    }
    const merged = await cli(["report", "--merge", "shard-1", "shard-2", "--output", "merged"]);
    expect(merged.exitCode, merged.stderr).toBe(1);
    expect(comparable(await readResults("merged"))).toEqual(comparable(results));
    expect((await readdir(join(dir, "merged"))).sort()).toHaveLength(4);

    // The unsharded run as baseline: nothing new, nothing fixed.
    const again = await cli([
      "report",
      "--merge",
      "merged",
      "--output",
      "again",
      "--baseline",
      "whole/results.json",
    ]);
    expect(again.stdout).toMatch(/baseline: 0 new, 0 fixed, [1-9]\d* unchanged/);
    expect(await readFile(join(dir, "again", "summary.md"), "utf8")).toContain("0 new · 0 fixed");
  }, 240_000);

  it("--config: every suite judges the config it names, and the report names it", async () => {
    // The folder's own config keeps everything; other.config.yaml names one that samples runs away.
    const project = await mkdtemp(join(ROOT, ".trailcheck-tmp", "config-"));
    try {
      expect((await cli(["init", "--dir", project], ROOT)).exitCode).toBe(0);
      for (const f of await readdir(join(ROOT, "incidents"))) {
        if (f.startsWith("INC-")) await cp(join(ROOT, "incidents", f), join(project, "incidents", f));
      }
      await cp(join(ROOT, "examples/logging/sampling.yaml"), join(project, "sampling.yaml"));
      await writeFile(join(project, "other.config.yaml"), "logging: sampling.yaml\n");
      const own = await cli(["run", "--filter", "INC-", "--output", "own"], project);
      expect(own.exitCode, own.stderr).toBe(0);

      // The same incidents, judged under other.config.yaml: its sampling loses them (exit 1, never a pass).
      const other = await cli(
        ["run", "--config", "other.config.yaml", "--filter", "INC-", "--output", "other"],
        project,
      );
      expect(other.exitCode, other.stderr).toBe(1);
      expect(other.stdout).toContain("judged with project other.config.yaml, logging sampling.yaml");
      const results = ResultsSchema.parse(
        JSON.parse(await readFile(join(project, "other", "results.json"), "utf8")),
      );
      expect(results.environment.configFiles.map((f) => [f.role, f.path])).toEqual([
        ["project", "other.config.yaml"],
        ["logging", "sampling.yaml"],
      ]);
      const sampled = results.tests.filter((t) => t.kind === "incident" && t.state === "failed");
      expect(sampled.length).toBeGreaterThan(0);
      const causes = sampled.flatMap((t) => t.result?.verdicts.flatMap((v) => v.gaps.map((g) => g.cause)));
      expect(causes).toContain("sampling");
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 120_000);

  it("runs the suites folder on its own when the project's vitest config (for its unit tests) has no suites project", async () => {
    // The common case in an agent's repository: vitest is there for the unit tests.
    const config = join(dir, "vitest.config.mjs");
    await writeFile(config, 'export default { test: { include: ["test/**/*.test.ts"] } };\n');
    try {
      const r = await cli(["run", "--filter", "config:pipeline", "--output", "own-vitest"]);
      expect(r.exitCode, r.stderr).toBe(0);
      const results = await readResults("own-vitest");
      expect(results.tests.filter((t) => t.state === "passed").map((t) => t.id)).toEqual([
        "check:config:pipeline",
      ]);
    } finally {
      await rm(config);
    }
  }, 120_000);

  it("exits 2 when nothing was judged: a --filter that selects no test is no all-clear", async () => {
    const r = await cli(["run", "--filter", "INC-9999", "--output", "nothing"]);
    expect(r.exitCode, r.stdout).toBe(2);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(
      /^trailcheck: --filter INC-9999 selects no test that runs/,
    );
    await expect(readdir(join(dir, "nothing"))).rejects.toThrow();
  }, 120_000);

  it("exits 2 naming the project's vitest config when it does not load", async () => {
    const config = join(dir, "vitest.config.mjs");
    await writeFile(config, "export default {{{\n");
    try {
      const r = await cli(["run", "--output", "broken-vitest"]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(
        /vitest\.config\.mjs.*vitest could not start the suites/,
      );
    } finally {
      await rm(config);
    }
  }, 120_000);

  it("--filter selects tests by name (exit 0 when the selected ones pass)", async () => {
    const r = await cli(["run", "--filter", "config:pipeline", "--output", "filtered"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const results = await readResults("filtered");
    expect(results.tests.filter((t) => t.state !== "skipped").map((t) => t.id)).toEqual([
      "check:config:pipeline",
    ]);
    expect(results.environment.filter).toBe("config:pipeline");
    const left = results.tests.filter((t) => t.state === "skipped" && !/config:pipeline/.test(t.name));
    expect(left.length).toBeGreaterThan(0);
    for (const t of left) expect(t.skipReason).toBe("not selected by --filter config:pipeline");
    expect(await readFile(join(dir, "filtered", "summary.md"), "utf8")).not.toContain(
      "skipped without a reason",
    );
  }, 120_000);

  it("shows a setting whose effect is not modelled as a config test not run, in every report", async () => {
    // The collector's filter key is `span`; `spans` is no setting trailcheck models, so every verdict is
    // judged without it. That must be said, not passed over.
    const passing = await readFile(join(ROOT, "examples/logging/passing.yaml"), "utf8");
    const filter = `      - filter: { error_mode: ignore, traces: { spans: ['attributes["x"] == "y"'] } }\n`;
    await writeFile(join(dir, "unmodelled.yaml"), passing.replace("      - batch: {}\n", `$&${filter}`));
    await writeFile(
      join(dir, "unmodelled.config.yaml"),
      (await readFile(join(dir, "trailcheck.config.yaml"), "utf8")).replace(
        "logging: logging.yaml",
        "logging: unmodelled.yaml",
      ),
    );
    const r = await cli([
      "run",
      ...["--config", "unmodelled.config.yaml", "--filter", "config:", "--output", "unmodelled"],
    ]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const results = await readResults("unmodelled");
    const unmodelled = results.tests.filter((t) => t.name.includes("config:unmodelled"));
    expect(unmodelled.map((t) => [t.state, t.name])).toEqual([
      ["skipped", expect.stringContaining("actions/filter[1] filter.traces.spans")],
    ]);
    expect(unmodelled[0]!.skipReason).toMatch(
      /^not judged — setting "spans" of filter\.traces is not modelled/,
    );
    const summary = await readFile(join(dir, "unmodelled", "summary.md"), "utf8");
    expect(summary).toContain('setting "spans" of filter.traces is not modelled');
    const html = await readFile(join(dir, "unmodelled", "index.html"), "utf8");
    expect(html).toContain("filter.traces.spans");
  }, 120_000);

  it("exits 2 on a bad config, naming file and line, and on bad options", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "logging: logging.yaml\nproperties:\n  numRuns: -5\n");
    const r = await cli(["run", "--config", "bad.yaml"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+ \(properties\.numRuns\)/);
    const shard = await cli(["run", "--shard", "3/2"]);
    expect(shard.exitCode).toBe(2);
    expect(shard.stderr).toContain("--shard must be I/N");
    const baseline = await cli(["run", "--baseline", "nope.json"]);
    expect(baseline.exitCode).toBe(2);
  }, 60_000);

  it("exits 2 before any suite runs when the logging config or the profile is bad, naming file and place", async () => {
    const config = (await readFile(join(dir, "trailcheck.config.yaml"), "utf8")).replace(
      "output: reports",
      "output: bad-reports",
    );
    // A typo'd processor value, a missing file, an unknown profile: each a one-line exit 2, no report.
    await writeFile(
      join(dir, "typo.yaml"),
      "streams:\n  - name: all\n    match: { default: true }\n    retention: 30 days\n",
    );
    await writeFile(
      join(dir, "typo.config.yaml"),
      config.replace("logging: logging.yaml", "logging: typo.yaml"),
    );
    await writeFile(
      join(dir, "gone.config.yaml"),
      config.replace("logging: logging.yaml", "logging: gone.yaml"),
    );
    await writeFile(join(dir, "profile.config.yaml"), `profile: eu-act\n${config}`);
    const typo = await cli(["run", "--config", "typo.config.yaml"]);
    expect(typo.exitCode, typo.stderr).toBe(2);
    expect(typo.stderr).toMatch(
      /^trailcheck: \S*typo\.yaml:4:\d+ \(streams\[0\]\.retention\): expected a duration/,
    );
    const gone = await cli(["run", "--config", "gone.config.yaml"]);
    expect(gone.exitCode, gone.stderr).toBe(2);
    expect(gone.stderr).toContain("gone.yaml: the file does not exist");
    const profile = await cli(["run", "--config", "profile.config.yaml"]);
    expect(profile.exitCode, profile.stderr).toBe(2);
    expect(profile.stderr).toContain("unknown compliance profile 'eu-act'");
    for (const r of [typo, gone, profile]) expect(r.stderr.trim().split("\n")).toHaveLength(1);
    await expect(readdir(join(dir, "bad-reports"))).rejects.toThrow();
  }, 60_000);

  it("exits 2 naming the suite file that could not load, not 1 as if gaps were found", async () => {
    const suites = join(dir, "broken-suites");
    await mkdir(suites, { recursive: true });
    await writeFile(join(suites, "gone.test.ts"), 'import "trailcheck/suites/no-such-suite";\n');
    await writeFile(
      join(dir, "broken.config.yaml"),
      (await readFile(join(dir, "trailcheck.config.yaml"), "utf8")).replace(
        "output: reports",
        "output: broken-reports\nsuites: broken-suites",
      ),
    );
    const r = await cli(["run", "--config", "broken.config.yaml"]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^trailcheck: a suite file failed outside its tests.*broken-suites\/gone\.test\.ts: /,
    );
    await expect(readdir(join(dir, "broken-reports"))).rejects.toThrow();
  }, 60_000);

  it("with standard error closed early (`2>&1 | head -1`) still writes the reports and exits 1 on gaps", async () => {
    const r = await cliWithClosedPipe(["run", "--output", "closed-stderr"], "stderr", dir);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.code, r.kept).toBe(1);
    expect((await readResults("closed-stderr")).verdict).toBe("gaps");
  }, 120_000);

  it("exits 3 when a replay reports that the agent could not be run", async () => {
    await writeFile(
      join(dir, "suites", "agent.test.ts"),
      `import { it } from "vitest";
import { recordResult } from "trailcheck/report/meta";
it("replay:crash the agent crashes", ({ task }) => {
  recordResult(task, { kind: "replay", id: "crash", title: "the agent crashes", agent: { failed: true, code: "exit", message: "exit code 1 before flushing" } });
  throw new Error("the agent exited with code 1");
});
`.replace("trailcheck/report/meta", join(ROOT, "src/report/meta.ts")),
    );
    try {
      const r = await cli(["run", "--filter", "replay:crash", "--output", "agent"]);
      expect(r.exitCode, r.stderr).toBe(3);
      expect((await readResults("agent")).verdict).toBe("agent-failed");
    } finally {
      await rm(join(dir, "suites", "agent.test.ts"));
    }
  }, 120_000);
});
