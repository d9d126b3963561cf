import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { batch, runSpans } from "./corpus.js";

/**
 * `trailcheck audit` on ~1 GB of rotated collector file exports (100 MB files, lumberjack names) of
 * AI SDK-shaped runs, every 50th without its tool spans. Measured as whole processes against a
 * parse-only baseline over the same files in the same run, alternating over rounds: target audit time
 * <= 2.5x parse-only, peak RSS <= 512 MB. The baseline is long enough that every file is read.
 * Needs the build (npm run build): it runs bin/trailcheck.js as a user would.
 */
const targetMb = Number(process.env.BENCH_MB ?? 1024);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-audit-"));
const store = join(dir, "otelcol");
const MAX_FILE = 100 * 1024 * 1024;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

interface Corpus {
  runs: number;
  spans: number;
  bytes: number;
  lastMs: number;
}

/** One export line per run (a run ends before the next starts), rotated every 100 MB. */
async function writeStore(): Promise<Corpus> {
  await rm(store, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.mkdir(store, { recursive: true }));
  const live = join(store, "traces.json");
  let fd = openSync(live, "w");
  let size = 0;
  let bytes = 0;
  let spans = 0;
  let n = 0;
  let lastMs = 0;
  while (bytes < targetMb * 1024 * 1024) {
    let run = runSpans(n, 400) as { name: string; endTimeUnixNano: string }[];
    if (n % 50 === 0) run = run.filter((s) => s.name !== "ai.toolCall");
    const line = `${batch(run)}\n`;
    const endMs = Number(BigInt(run.at(-1)!.endTimeUnixNano) / 1_000_000n) + 2;
    if (size + line.length > MAX_FILE) {
      closeSync(fd);
      renameSync(live, join(store, `traces-${stamp(endMs)}.json`));
      fd = openSync(live, "w");
      size = 0;
    }
    writeSync(fd, line);
    size += line.length;
    bytes += line.length;
    spans += run.length;
    lastMs = endMs;
    n++;
  }
  closeSync(fd);
  return { runs: n, spans, bytes, lastMs };
}

interface Measured {
  seconds: number;
  rssMb: number;
  exitCode: number;
  stdout: string;
}

async function measure(args: string[]): Promise<Measured> {
  const start = process.hrtime.bigint();
  const run = await execa("node", ["bench/measure.mjs", ...args], { reject: false });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /maxRSS=(\d+)/.exec(run.stderr);
  if (!rss || (run.exitCode !== 0 && run.exitCode !== 1)) {
    throw new Error(`${args.join(" ")} failed (exit ${run.exitCode}):\n${run.stderr.slice(0, 2000)}`);
  }
  return { seconds, rssMb: Number(rss[1]) / 1024, exitCode: run.exitCode ?? 0, stdout: run.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

try {
  const corpus = await writeStore();
  const files = (await readdir(store)).sort().map((f) => join(store, f));
  const mb = corpus.bytes / 1024 / 1024;
  process.stdout.write(
    `corpus: ${mb.toFixed(0)} MB in ${files.length} rotated files, ${corpus.runs} runs, ${corpus.spans} spans\n`,
  );
  const now = new Date(corpus.lastMs + 60_000).toISOString();
  const audit = () =>
    measure([
      "bin/trailcheck.js",
      "audit",
      "--store",
      `file:${store}`,
      "--now",
      now,
      "--baseline",
      "60d",
      "--format",
      "json",
    ]);
  const bases: Measured[] = [];
  const audits: Measured[] = [];
  for (let i = 0; i < rounds; i++) {
    bases.push(await measure(["bench/parse-only.mjs", ...files]));
    audits.push(await audit());
  }
  const base = median(bases.map((b) => b.seconds));
  const took = median(audits.map((a) => a.seconds));
  const rss = median(audits.map((a) => a.rssMb));
  const ratio = took / base;
  process.stdout.write(
    `parse-only baseline: ${base.toFixed(2)} s, ${(mb / base).toFixed(1)} MB/s, peak RSS ${median(bases.map((b) => b.rssMb)).toFixed(0)} MB (median of ${rounds}, whole process)\n`,
  );
  process.stdout.write(
    `audit: ${took.toFixed(2)} s, ratio ${ratio.toFixed(2)}x (rounds ${audits.map((a, i) => (a.seconds / bases[i]!.seconds).toFixed(2)).join(", ")}; target <= 2.5x) ${verdict(ratio <= 2.5)}; peak RSS ${rss.toFixed(0)} MB (target <= 512 MB) ${verdict(rss <= 512)}\n`,
  );
  // The audit must judge what it read: every 50th run of the window lost its tool spans.
  const report = JSON.parse(audits[0]!.stdout) as {
    agents: {
      runs: { incomplete: number; reconstructable: number };
      baselineRuns: { incomplete: number; reconstructable: number };
    }[];
  };
  const counted = report.agents.reduce(
    (n, a) =>
      n +
      a.runs.incomplete +
      a.runs.reconstructable +
      a.baselineRuns.incomplete +
      a.baselineRuns.reconstructable,
    0,
  );
  const incomplete = report.agents.reduce((n, a) => n + a.runs.incomplete + a.baselineRuns.incomplete, 0);
  process.stdout.write(
    `judged ${counted} of ${corpus.runs} runs, ${incomplete} incomplete (expected ${Math.ceil(corpus.runs / 50)}) ${verdict(counted === corpus.runs && incomplete === Math.ceil(corpus.runs / 50))}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
