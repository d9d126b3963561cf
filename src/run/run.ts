import { access } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { TestUserConfig } from "vitest/node";
import { InputError } from "../errors.js";
import { suiteEnvironment } from "../project/environment.js";
import { loadProjectLogging, projectProfile } from "../project/judging.js";
import { type Project, projectFiles } from "../project/project.js";
import { assembleResults } from "../report/assemble.js";
import { describeEnvironment } from "../report/environment.js";
import { readResults } from "../report/read.js";
import type { Results, TestEntry } from "../report/results.js";
import { writeReports } from "../report/write.js";
import { createProgress, type Progress } from "./progress.js";
import { TrailcheckReporter } from "./reporter.js";

export interface RunOptions {
  /** A previous results.json to compare with. */
  readonly baseline?: string;
  /** `i/n`: run the i-th of n shards (vitest's file sharding). */
  readonly shard?: string;
  /** A regular expression over test names: incident ids, titles, tags, stream names. */
  readonly filter?: string;
  /** Test files run in parallel at most. */
  readonly concurrency?: number;
  readonly cwd?: string;
  readonly progress?: Progress;
}

export interface RunOutcome {
  readonly results: Results;
  readonly outputDir: string;
  readonly files: string[];
}

const VITEST_CONFIGS = ["vitest.config.ts", "vitest.config.mts", "vitest.config.js", "vitest.config.mjs"];
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError("bad-option", `--shard must be I/N with 1 ≤ I ≤ N, such as 1/3, not '${value}'`);
  }
  return { index, count };
}

function checkOptions(options: RunOptions): void {
  parseShard(options.shard);
  if (
    options.concurrency !== undefined &&
    !(Number.isInteger(options.concurrency) && options.concurrency > 0)
  ) {
    throw new InputError(
      "bad-option",
      `--concurrency must be a positive whole number, not '${options.concurrency}'`,
    );
  }
  if (options.filter !== undefined) {
    try {
      new RegExp(options.filter);
    } catch (err) {
      throw new InputError(
        "bad-option",
        `--filter is not a valid regular expression: ${(err as Error).message}`,
      );
    }
  }
}

/** vitest's Node API: a peer dependency that only `trailcheck run` needs, so it is loaded here alone. */
async function loadVitest(): Promise<typeof import("vitest/node")> {
  try {
    return await import("vitest/node");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_MODULE_NOT_FOUND" && /'vitest'/.test(e.message)) {
      throw new InputError("no-vitest", "trailcheck run needs vitest: npm install -D vitest");
    }
    throw err;
  }
}

/**
 * Run from its TypeScript sources (this repository's tests), trailcheck has the suites' `trailcheck/*`
 * imports resolve to the sources too, so a test of `trailcheck run` never runs a stale dist/.
 */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const SOURCE_CONDITIONS = {
  ssr: { resolve: { conditions: ["trailcheck-source", "node", "development|production"] } },
};

/** The project's vitest config file, if it has one. */
async function vitestConfigFile(project: Project): Promise<string | undefined> {
  for (const name of VITEST_CONFIGS) {
    const file = join(project.root, name);
    if (await exists(file)) return file;
  }
  return undefined;
}

/** The suites folder on its own, outside any vitest config of the project's. */
function standaloneSuites(project: Project): TestUserConfig {
  const dir = relative(project.root, project.suitesDir).split("\\").join("/") || ".";
  return { config: false, include: [`${dir}/**/*.test.ts`], testTimeout: 120_000 };
}

/** vitest's refusal of a `project` filter that its config defines no project for. */
const NO_SUCH_PROJECT = /No projects matched the filter/;

/** Sets the variables the suites read for the duration of `fn`, then puts the old values back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * The logging config and the profile every suite judges under, loaded once before vitest starts. Each
 * suite loads them again in its own worker, where a bad one is only a failing test ("the logging config
 * loads") and the run would end in exit 1 as if gaps were found: here it is bad input (exit 2), one
 * line naming the file and the place, as for every other verb.
 */
async function checkJudging(project: Project): Promise<void> {
  const logging = project.from.logging !== "none" ? await loadProjectLogging(project) : undefined;
  await projectProfile(project, logging);
}

/**
 * A suite file that fails outside its tests — it does not load (its import of `trailcheck/suites/…`
 * does not resolve, it throws at the top level) or a file-level hook throws — judged nothing, or not
 * all it holds: vitest counts an error outside tests, which would read as gaps (exit 1) though none was
 * found. The suites could not run, so it is `vitest-failed` (exit 2) naming the file, and the previous
 * report is left as it was.
 */
function refuseUnloadedSuites(reporter: TrailcheckReporter): void {
  const failed = reporter.moduleErrors;
  if (failed.length === 0) return;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more suite file(s))` : "";
  throw new InputError(
    "vitest-failed",
    `a suite file failed outside its tests, so it did not judge what it holds: ${failed[0]!.split("\n", 1)[0]}${more}`,
  );
}

/**
 * Tests `--filter` left out are skipped without a reason of vitest's own; the report says why, so the
 * "not run" list does not read as tests that skipped themselves for no reason.
 */
function notSelected(tests: readonly TestEntry[], filter: string): TestEntry[] {
  const pattern = new RegExp(filter);
  return tests.map((t) =>
    t.state === "skipped" && t.skipReason === undefined && !pattern.test(t.name)
      ? { ...t, skipReason: `not selected by --filter ${filter}` }
      : t,
  );
}

/**
 * A run in which no test passed or failed judged nothing: "all 0 test(s) passed — every run
 * reconstructable" would be an all-clear for a `--filter` that matches nothing (a mistyped incident id)
 * or suites that skip every test. A shard may hold no test of its own; the merge judges the whole.
 */
function refuseNothingJudged(results: Results, project: Project, options: RunOptions): void {
  if (results.totals.passed + results.totals.failed > 0 || options.shard) return;
  if (options.filter !== undefined) {
    throw new InputError(
      "bad-option",
      `--filter ${options.filter} selects no test that runs, so nothing was judged (test names hold the incident id, its title and the stream name)`,
    );
  }
  const dir = relative(options.cwd ?? process.cwd(), project.suitesDir) || ".";
  throw new InputError("no-suites", `the suites in ${dir} ran no test, so nothing was judged`);
}

/**
 * `trailcheck run`: runs the project's suites through vitest's Node API with trailcheck's reporter,
 * assembles the results from the tests' metadata and writes the four report files. The suites resolve
 * the same project: `run` hands it over in the environment (`suiteEnvironment`).
 */
export async function runProject(project: Project, options: RunOptions = {}): Promise<RunOutcome> {
  const cwd = options.cwd ?? process.cwd();
  checkOptions(options);
  const { createVitest } = await loadVitest();
  const baseline = options.baseline
    ? { file: options.baseline, results: await readResults(resolve(cwd, options.baseline)) }
    : undefined;
  if (!(await exists(project.suitesDir))) {
    throw new InputError(
      "no-suites",
      `no suites folder at ${relative(cwd, project.suitesDir) || "."}: run \`trailcheck init\` to scaffold one`,
      project.file ? { file: project.file, field: "suites" } : {},
    );
  }
  await checkJudging(project);
  const outputDir = project.outputDir;
  const reporter = new TrailcheckReporter(project.root, options.progress ?? createProgress());
  const own = await vitestConfigFile(project);
  const seed = await withEnv(suiteEnvironment(project), async () => {
    const create = (suites: TestUserConfig) =>
      createVitest(
        "test",
        {
          root: project.root,
          ...suites,
          watch: false,
          reporters: [reporter],
          passWithNoTests: true,
          ...(options.shard ? { shard: options.shard } : {}),
          ...(options.filter ? { testNamePattern: options.filter } : {}),
          ...(options.concurrency ? { maxWorkers: options.concurrency } : {}),
        },
        FROM_SOURCE ? SOURCE_CONDITIONS : {},
      );
    // The project's `suites` project when its vitest config has one; else (a config for its own unit
    // tests, the common case) the suites folder on its own, as without a config.
    const vitest = await (own
      ? create({ config: own, project: ["suites"] }).catch((err: unknown) => {
          if (NO_SUCH_PROJECT.test(String((err as Error | undefined)?.message)))
            return create(standaloneSuites(project));
          throw err;
        })
      : create(standaloneSuites(project))
    ).catch((err: unknown) => {
      // A vitest config that does not load (a syntax error, a missing plugin) is the project's.
      const first = String((err as Error | undefined)?.message ?? err).split("\n", 1)[0];
      throw new InputError(
        "vitest-failed",
        `vitest could not start the suites: ${first}`,
        own ? { file: own } : {},
      );
    });
    try {
      await vitest.start();
      return vitest.config.sequence.seed;
    } catch (err) {
      throw new InputError("vitest-failed", `vitest could not run the suites: ${(err as Error).message}`);
    } finally {
      await vitest.close();
    }
  });
  // vitest marks a failed run on the process; the exit code is trailcheck's to decide.
  process.exitCode = undefined;
  refuseUnloadedSuites(reporter);

  const configFiles = projectFiles(project);
  const results = assembleResults({
    tests: options.filter ? notSelected(reporter.tests, options.filter) : reporter.tests,
    errors: reporter.errors,
    environment: await describeEnvironment({
      configFiles,
      root: project.root,
      ...(seed !== undefined ? { seed } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
    }),
    generatedAt: new Date(),
    ...(baseline ? { baseline } : {}),
  });
  refuseNothingJudged(results, project, options);
  const files = await writeReports(results, outputDir);
  return { results, outputDir, files };
}
