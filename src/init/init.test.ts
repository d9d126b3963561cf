// `trailcheck init` into existing projects: every suite, the agent command, a starter scenario, the
// workflow and a .gitignore entry; all or nothing, never overwriting, and a bad folder is exit 2 at once.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputError } from "../errors.js";
import { resolveProject } from "../project/project.js";
import { loadScenario } from "../replay/scenario.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { initProject } from "./init.js";
import { PUBLISHED_SUITES, scaffoldFiles, suiteFile } from "./scaffold.js";
import { writeNewFiles } from "./write-new-files.js";

const ROOT = join(import.meta.dirname, "..", "..");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-init-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const listing = async (d: string) => (await readdir(d, { recursive: true })).sort();

describe("initProject", () => {
  it("says where the workflow must go when the project is a folder below its repository's root", async () => {
    // A monorepo's package: GitHub runs only the workflows of the repository root's .github/workflows.
    await mkdir(join(dir, ".git"));
    const pkg = join(dir, "packages", "agent");
    await mkdir(pkg, { recursive: true });
    const note = (await initProject(pkg)).workflow.join("\n");
    expect(note).toContain("this project is packages/agent in the repository at");
    expect(note).toContain(
      `${join(dir, ".github", "workflows")}: move .github/workflows/trailcheck.yml there`,
    );
    expect(note).toContain("working-directory: packages/agent");
    // At the repository's root, the workflow is where GitHub reads it.
    expect((await initProject(dir)).workflow).toEqual([]);
  });

  it("scaffolds every published suite, the agent command, a scenario, the workflow and .gitignore", async () => {
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ dependencies: { ai: "^6", "@ai-sdk/openai": "^3" } }),
    );
    const out = await initProject(dir, { agent: "node dist/agent.js --mode 'test'" });
    expect(out.created).toEqual(
      expect.arrayContaining(["trailcheck.config.yaml", "logging.yaml", ".gitignore"]),
    );
    for (const name of Object.keys(PUBLISHED_SUITES)) {
      expect(await readFile(join(dir, "suites", `${name}.test.ts`), "utf8")).toBe(suiteFile(name));
    }
    const project = await resolveProject({ cwd: dir, env: {} });
    expect(project.agentCommand).toBe("node dist/agent.js --mode 'test'");
    expect(project.agentTimeoutMs).toBe(60_000);
    expect(project.logging).toEqual({ logging: join(dir, "logging.yaml") });
    expect(project.scenariosDir).toBe(join(dir, "scenarios"));
    expect((await loadScenario(join(dir, "scenarios", "first-run.yaml"))).turns.length).toBeGreaterThan(0);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toContain("\nreports/\n");
    expect(await readFile(join(dir, ".github/workflows/trailcheck.yml"), "utf8")).toContain(
      "npx trailcheck run",
    );
    expect(out.frameworks).toEqual(["ai-sdk"]);
    expect(out.advice.join("\n")).toMatch(
      /OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OPENAI_BASE_URL[\s\S]*TRAILCHECK_INPUT[\s\S]*recordOutputs/,
    );
    expect(out.advice.join("\n")).not.toContain("No package.json");
  });

  it("the workflow's shard step lets exit 1 and 3 through to the upload (their results.json is the merge's)", async () => {
    const workflow = parse(await readFile(join(ROOT, "examples/ci/github-actions.yml"), "utf8"));
    const steps: { name?: string; run?: string }[] = workflow.jobs.suites.steps;
    const step = steps.find((s) => s.name?.startsWith("trailcheck run"))!.run!;
    expect(step).toContain("npx trailcheck run --shard ${{ matrix.shard }}/3");
    // As GitHub runs a step (bash -e), with `npx trailcheck run` exiting with each code.
    const status = async (code: number) =>
      (
        await execa(
          "bash",
          [
            "-e",
            "-c",
            step
              .replaceAll("${{ matrix.shard }}", "1")
              .replaceAll("npx trailcheck run", `sh -c "exit ${code}" --`),
          ],
          { reject: false },
        )
      ).exitCode;
    expect(await Promise.all([0, 1, 2, 3, 70].map(status))).toEqual([0, 0, 1, 0, 1]);
  });

  it("in a folder without package.json says to install trailcheck and vitest there", async () => {
    const out = await initProject(dir, { agent: "python agent.py" });
    expect(out.frameworks).toEqual([]);
    expect(out.advice[0]).toMatch(/^No package\.json here/);
    expect(out.advice.join("\n")).toContain("npm install -D trailcheck vitest");
  });

  it("this repository's suites/ are exactly what init scaffolds", async () => {
    for (const name of Object.keys(PUBLISHED_SUITES)) {
      expect(await readFile(join(ROOT, "suites", `${name}.test.ts`), "utf8")).toBe(suiteFile(name));
    }
    const published = (await readdir(join(ROOT, "src", "suites"))).filter((f) => !f.endsWith(".test.ts"));
    expect(published.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(Object.keys(PUBLISHED_SUITES).sort());
  });

  it("without --agent the agent block is a comment; with --otelcol a storage file lists its exporters", async () => {
    const otelcol = join(ROOT, "examples/otelcol/genai-routing.yaml");
    await initProject(dir, { otelcol, cwd: ROOT });
    const project = await resolveProject({ cwd: dir, env: {} });
    expect(project.agentCommand).toBeUndefined();
    expect(project.logging).toEqual({ otelcol: [otelcol], storage: join(dir, "trailcheck.storage.yaml") });
    const storage = await readFile(join(dir, "trailcheck.storage.yaml"), "utf8");
    expect(storage).toContain('"otlphttp/llm":');
    expect(storage).toContain('"file/policy":');
  });

  it("appends to an existing .gitignore, or leaves one that already ignores reports/", async () => {
    await writeFile(join(dir, ".gitignore"), "node_modules");
    const out = await initProject(dir);
    expect(out.gitignore).toBe("appended");
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules\n# trailcheck run's reports\nreports/\n",
    );
    const other = await mkdtemp(join(tmpdir(), "trailcheck-init-"));
    try {
      await writeFile(join(other, ".gitignore"), "/reports\n");
      expect((await initProject(other)).gitignore).toBe("kept");
      expect(await readFile(join(other, ".gitignore"), "utf8")).toBe("/reports\n");
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it.each([
    ["a file", async () => writeFile(join(dir, "logging.yaml"), "mine\n"), /not overwriting logging\.yaml/],
    [
      "a dangling symlink",
      async () => symlink(join(dir, "nowhere"), join(dir, "trailcheck.config.yaml")),
      /not overwriting trailcheck\.config\.yaml/,
    ],
    [
      "a dangling symlink as a folder",
      async () => symlink(join(dir, "nowhere"), join(dir, "suites")),
      /not a folder or not a regular file: suites/,
    ],
    [
      "a file as a folder",
      async () => writeFile(join(dir, "scenarios"), "x"),
      /not a folder or not a regular file: scenarios/,
    ],
  ])("refuses %s in the way and writes nothing", async (_what, arrange, message) => {
    await arrange();
    const before = await listing(dir);
    const err = await initProject(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain("nothing was written");
    expect(await listing(dir)).toEqual(before);
  });

  it("a failure midway removes every file and folder it made, and the line it appended", async () => {
    await writeFile(join(dir, ".gitignore"), "node_modules\n");
    await mkdir(join(dir, "suites"));
    const before = await listing(dir);
    const files = await scaffoldFiles();
    let n = 0;
    const err = await writeNewFiles(
      dir,
      { create: files, append: { ".gitignore": "reports/\n" } },
      {
        afterCreate: () => {
          if (++n === Object.keys(files).length - 1)
            throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
        },
      },
    ).catch((e: unknown) => e);
    expect((err as InputError).code).toBe("cannot-write");
    expect((err as Error).message).toContain("ENOSPC; nothing was written");
    expect(await listing(dir)).toEqual(before);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe("node_modules\n");
  });
});

describe("trailcheck init as a user runs it", () => {
  const cli = (args: string[]) =>
    execa("node", [...DEV_CLI, ...args], { cwd: dir, reject: false, timeout: 60_000 });

  it("--dir naming a file, a missing /proc folder or an unwritable one: exit 2, one line, promptly", async () => {
    await writeFile(join(dir, "file.txt"), "x");
    for (const target of [join(dir, "file.txt"), "/proc/x", "/proc/self"]) {
      const r = await cli(["init", "--dir", target]);
      expect(r.exitCode, `${target}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n"), target).toHaveLength(1);
      expect(r.stderr).toMatch(/^trailcheck: /);
    }
  }, 120_000);

  it("prints what it created and what the agent must read", async () => {
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ dependencies: { "@openai/agents": "^0.1" } }),
    );
    const r = await cli(["init", "--agent", "node agent.js"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("created suites/replays.test.ts");
    expect(r.stdout).toContain("OpenAI Agents SDK found in package.json");
    expect(r.stdout).toContain("traceIncludeSensitiveData");
    const again = await cli(["init"]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain("not overwriting trailcheck.config.yaml");
  }, 120_000);
});
