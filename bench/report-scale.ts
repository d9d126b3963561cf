// The report a reviewer opens after a pipeline change, at a thousand incidents: a project scaffolded
// by `trailcheck init`, the bundled incidents copied under new ids, `trailcheck run` with
// examples/logging/passing.yaml as the baseline, then with examples/logging/sampling.yaml and --baseline. Prints the four files' sizes and index.html's render
// time in headless Chromium, beside the same for the bundled incidents alone, measured in the same run.
// Targets (at 1,000 incidents): index.html ≤ 2 MB and rendered in ≤ 2 s, results.json ≤ 10 MB,
// summary.md ≤ 65,536 characters.
//
//   node bin/run-ts.js bench/report-scale.ts [INCIDENTS] [--keep]
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { chromium } from "playwright-core";
import { parseDocument } from "yaml";
import { INCIDENT_FILE } from "../src/incidents/load.js";
import { slugify, writeIncident } from "../src/incidents/write.js";
import { MAX_SUMMARY } from "../src/report/markdown.js";
import { REPORT_FILES } from "../src/report/write.js";
import { DEV_CLI } from "../src/testing/dev-cli.js";

const ROOT = join(import.meta.dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
const keep = process.argv.includes("--keep");
const LOADS = 5;
const MB = 1024 * 1024;

interface Bundled {
  readonly yaml: string;
  readonly run: string;
  readonly title: string;
}

async function bundledIncidents(): Promise<Bundled[]> {
  const dir = join(ROOT, "incidents");
  const out: Bundled[] = [];
  for (const name of (await readdir(dir)).filter((n) => INCIDENT_FILE.test(n)).sort()) {
    const yaml = await readFile(join(dir, name), "utf8");
    const doc = parseDocument(yaml);
    out.push({
      yaml,
      run: await readFile(join(dir, String(doc.get("run"))), "utf8"),
      title: String(doc.get("title")),
    });
  }
  return out;
}

/** A project as `trailcheck init` makes it (every suite, no agent command), with `n` copies of the bundled incidents. */
async function project(name: string, n: number, bundled: readonly Bundled[]): Promise<string> {
  await mkdir(join(ROOT, ".trailcheck-tmp"), { recursive: true });
  const dir = await mkdtemp(join(ROOT, ".trailcheck-tmp", `report-scale-${name}-`));
  const init = await execa("node", [...DEV_CLI, "init", "--dir", dir], { cwd: ROOT, reject: false });
  if (init.exitCode !== 0) throw new Error(`trailcheck init failed: ${init.stderr}`);
  const config = join(dir, "trailcheck.config.yaml");
  await writeFile(config, (await readFile(config, "utf8")).replace(/numRuns: \d+/, "numRuns: 50"));
  for (let i = 0; i < n; i++) {
    const source = bundled[i % bundled.length]!;
    await writeIncident(join(dir, "incidents"), slugify(source.title), (id, runName) => {
      const doc = parseDocument(source.yaml);
      doc.set("id", id);
      doc.set("run", runName);
      return { yaml: String(doc), run: source.run };
    });
  }
  return dir;
}

async function run(dir: string, logging: string, output: string, baseline?: string): Promise<string> {
  await copyFile(join(ROOT, "examples", "logging", logging), join(dir, "logging.yaml"));
  const args = [...DEV_CLI, "run", "--output", output, ...(baseline ? ["--baseline", baseline] : [])];
  const start = performance.now();
  const r = await execa("node", args, { cwd: dir, reject: false, env: { CI: "1", NO_COLOR: "1" } });
  if (r.exitCode !== 0 && r.exitCode !== 1)
    throw new Error(`trailcheck run exited ${r.exitCode}: ${r.stderr}`);
  const line = r.stdout.split("\n").find((l) => l.startsWith("trailcheck:")) ?? "";
  return `${line} (${((performance.now() - start) / 1000).toFixed(1)} s)`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Load to first painted frame, the median of LOADS fresh pages. */
async function renderMs(file: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const times: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const start = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      // The next animation frame comes after the first paint of the loaded page.
      await page.evaluate(
        () =>
          new Promise((done) =>
            (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(
              () => done(undefined),
            ),
          ),
      );
      times.push(performance.now() - start);
      await page.close();
    }
    return median(times);
  } finally {
    await browser.close();
  }
}

interface Figures {
  readonly sizes: Record<(typeof REPORT_FILES)[number], number>;
  readonly summaryChars: number;
  readonly renderMs: number;
}

async function measure(dir: string, output: string): Promise<Figures> {
  const sizes = {} as Figures["sizes"];
  for (const f of REPORT_FILES) sizes[f] = (await stat(join(dir, output, f))).size;
  const summaryChars = (await readFile(join(dir, output, "summary.md"), "utf8")).length;
  return { sizes, summaryChars, renderMs: await renderMs(join(dir, output, "index.html")) };
}

const bundled = await bundledIncidents();
const cases: { name: string; n: number }[] = [
  { name: "bundled", n: bundled.length },
  { name: "scale", n: count },
];
const figures: Figures[] = [];
const dirs: string[] = [];
try {
  for (const c of cases) {
    const dir = await project(c.name, c.n, bundled);
    dirs.push(dir);
    process.stdout.write(`${c.n} incidents in ${dir}\n`);
    process.stdout.write(`  passing.yaml:               ${await run(dir, "passing.yaml", "reports-base")}\n`);
    const line = await run(dir, "sampling.yaml", "reports", "reports-base/results.json");
    process.stdout.write(`  sampling.yaml --baseline:   ${line}\n`);
    figures.push(await measure(dir, "reports"));
  }
  const [small, large] = figures as [Figures, Figures];
  const row = (label: string, a: number, b: number, unit: (x: number) => string, target?: string) =>
    `${label.padEnd(22)}${unit(a).padStart(12)}${unit(b).padStart(12)}${`${(b / a).toFixed(1)}×`.padStart(9)}  ${target ?? ""}`;
  const mb = (x: number) => `${(x / MB).toFixed(2)} MB`;
  const within = (ok: boolean) => (ok ? "within" : "OVER");
  process.stdout.write(
    [
      "",
      `${"".padEnd(22)}${`${cases[0]!.n} inc.`.padStart(12)}${`${cases[1]!.n} inc.`.padStart(12)}${"ratio".padStart(9)}`,
      row(
        "index.html",
        small.sizes["index.html"],
        large.sizes["index.html"],
        mb,
        `≤ 2 MB: ${within(large.sizes["index.html"] <= 2 * MB)}`,
      ),
      row(
        "render (median)",
        small.renderMs,
        large.renderMs,
        (x) => `${Math.round(x)} ms`,
        `≤ 2 s: ${within(large.renderMs <= 2000)}`,
      ),
      row(
        "results.json",
        small.sizes["results.json"],
        large.sizes["results.json"],
        mb,
        `≤ 10 MB: ${within(large.sizes["results.json"] <= 10 * MB)}`,
      ),
      row("junit.xml", small.sizes["junit.xml"], large.sizes["junit.xml"], mb),
      row(
        "summary.md (chars)",
        small.summaryChars,
        large.summaryChars,
        String,
        `≤ ${MAX_SUMMARY}: ${within(large.summaryChars <= MAX_SUMMARY)}`,
      ),
      "",
    ].join("\n"),
  );
} finally {
  if (!keep) for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
