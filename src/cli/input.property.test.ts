// Every verb that reads a file, fed random bytes, random JSON, random YAML and valid example files
// changed in their structure or byte by byte: it must end with 0, 1 or 3 (the input happened to be
// valid: a verdict) or 2 (bad input: one line naming the file), never a stack trace, never 70 (a bug),
// and within a time bound (no hang). A file no reader could take is never a verdict: 2, or 1 where it
// is one file of a sealed log, bundle or ledger (the damage is the verdict), never 0. The many cases run
// the CLI's entry in this process; a few run it as a whole process.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dateSeed } from "../project/defaults.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { hostileFile, unreadableFile } from "../testing/hostile-files.js";
import { caseFolders, type Fixtures, makeFixtures } from "../testing/hostile-fixtures.js";
import { hostileTargets, type Target, type Unreadable } from "../testing/hostile-targets.js";
import { type CliRun, runCliHere } from "../testing/run-cli.js";

/** Cases per verb: a few seconds in all for CI; a longer hunt raises it. */
const RUNS = Number(process.env.TRAILCHECK_HOSTILE_RUNS ?? 6);
/** Today's date unless given: a day's CI runs agree, the next day tries other files. */
const SEED = Number(process.env.TRAILCHECK_HOSTILE_SEED ?? dateSeed(new Date()));
/** Far longer than any case takes: a case that outlives it is hanging. */
const BOUND_MS = 20_000;
/** The same for a whole process, whose start-up alone takes seconds on a loaded machine. */
const PROCESS_BOUND_MS = 60_000;

let work: string;
let fixtures: Fixtures;
let caseDir: () => Promise<string>;

/** One case: the content, and whether it is a file no reader could take. */
interface Case {
  readonly file: Buffer;
  readonly unreadable: boolean;
}

/**
 * What a run must look like whatever the input; a bug's details (its stack) go into the failure. `dir`
 * is the case's folder, where every hostile file lies: a refusal names the file. With `unreadable`, the
 * input was a file no reader could take: never a clean verdict.
 */
async function judge(
  args: readonly string[],
  r: CliRun,
  dir: string,
  unreadable?: Unreadable,
): Promise<void> {
  const crash = /details in (\S+)$/m.exec(r.err)?.[1];
  const details = crash ? await readFile(crash, "utf8").catch(() => "") : "";
  const where = `trailcheck ${args.join(" ")}\nexit ${r.code}\nstderr: ${r.err.slice(0, 2000)}${details}`;
  expect(unreadable?.codes ?? [0, 1, 2, 3], where).toContain(r.code);
  if (unreadable?.shows && r.code !== 2) expect(r.out, where).toMatch(unreadable.shows);
  expect(r.err, where).not.toMatch(/^\s+at .+[:(]/m);
  expect(r.err, where).not.toContain("internal error");
  if (r.code !== 2) return;
  if (r.err === "") {
    // A verb that lists files (incident list) names the bad one in its listing.
    expect(r.out, where).toContain(dir);
    return;
  }
  // One line that says what is wrong and where (a list of candidates may follow it), nothing else.
  expect(r.err, where).toMatch(/^trailcheck: [^\n]+\n(?: {2}[^\n]*\n)*$/);
  expect(r.err.split("\n")[0], where).toContain(dir);
}

async function bounded<T>(run: Promise<T>, args: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${BOUND_MS} ms: trailcheck ${args.join(" ")}`)),
      BOUND_MS,
    );
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

const savedTmp = process.env.TMPDIR;

beforeAll(async () => {
  console.log(
    `hostile files: ${RUNS} per verb, seed ${SEED} — reproduce with TRAILCHECK_HOSTILE_SEED=${SEED} TRAILCHECK_HOSTILE_RUNS=${RUNS}`,
  );
  work = await mkdtemp(join(tmpdir(), "trailcheck-input-"));
  // A crash's details file lands here and goes with the rest; its stack is in the failure message.
  await mkdir(join(work, "tmp"));
  process.env.TMPDIR = join(work, "tmp");
  fixtures = await makeFixtures(work);
  caseDir = caseFolders(work);
}, 60_000);
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(work, { recursive: true, force: true });
});

const TARGETS = hostileTargets(() => fixtures);
const target = (name: string): Target => TARGETS.find((t) => t.name === name)!;
const unreadable = unreadableFile().map((file): Case => ({ file, unreadable: true }));

describe("hostile files to every verb that reads one (in-process)", () => {
  for (const t of TARGETS) {
    it(t.name, async () => {
      const files = await t.seeds();
      expect(files.length).toBeGreaterThan(0);
      const hostile = hostileFile(files).map((file): Case => ({ file, unreadable: false }));
      // Every verb meets at least one file no reader could take, whatever the seed.
      const [first] = fc.sample(unreadable, { numRuns: 1, seed: SEED });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 9, arbitrary: hostile }, { weight: 1, arbitrary: unreadable }),
          async (c) => {
            const dir = await caseDir();
            const args = await t.place(c.file, dir, c.unreadable);
            const r = await bounded(runCliHere(args), args);
            await judge(args, r, dir, c.unreadable ? t.unreadable : undefined);
          },
        ),
        { numRuns: RUNS, seed: SEED, examples: [[first!]] },
      );
    }, 120_000);
  }
});

describe("hostile files through the whole process", () => {
  it(
    "check --trace, analyze --otelcol and report --merge answer 0–3, never a stack or 70",
    async () => {
      const cases = await Promise.all(
        ["check --trace", "analyze --otelcol", "report --merge"].map(async (name, i) => {
          const { seeds, place } = target(name);
          const [file] = fc.sample(hostileFile(await seeds()), { numRuns: 1, seed: SEED + i });
          const dir = await caseDir();
          return { dir, args: await place(file!, dir, false) };
        }),
      );
      await Promise.all(
        cases.map(async ({ dir, args }) => {
          const r = await execa("node", [...DEV_CLI, ...args], { reject: false, timeout: PROCESS_BOUND_MS });
          expect(r.timedOut, args.join(" ")).toBe(false);
          const run = { code: r.exitCode ?? -1, out: r.stdout, err: r.stderr ? `${r.stderr}\n` : "" };
          await judge(args, run, dir);
        }),
      );
    },
    2 * PROCESS_BOUND_MS,
  );
});

describe("a FIFO where a verb reads a file", () => {
  // Opening a FIFO nobody writes blocks for ever: every reader must look before it opens.
  for (const t of TARGETS.filter((t) => t.unreadable.codes.length === 1)) {
    it(t.name, async () => {
      const [seed] = await t.seeds();
      const dir = await caseDir();
      const args = await t.place(seed!, dir, true);
      // The file the seed went into: the one file of the case folder (beside copied run files).
      const entries = await readdir(dir, { withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && !e.name.endsWith(".run.jsonl"))
        .map((e) => join(dir, e.name));
      expect(files.length, args.join(" ")).toBe(1);
      await rm(files[0]!);
      execFileSync("mkfifo", [files[0]!]);
      const r = await bounded(runCliHere(args), args);
      await judge(args, r, dir);
      expect(r.code, r.err).toBe(2);
    }, 30_000);
  }
});
