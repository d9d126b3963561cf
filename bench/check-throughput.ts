import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { writeCorpus } from "./corpus.js";

/**
 * `trailcheck check` of a collector file export, whole processes, against a baseline measured in the
 * same run: a process that reads the same file with readline and JSON.parse-s every line. Per logging
 * config: the time ratio (target <= 3x, goal 2x) and the peak RSS (target <= 300 MB); then the peak RSS
 * of the same checks over an export four times the size (target: within 1.2x, memory follows what the
 * pipeline holds, not the file), and of checking one trace out of the file (target < 256 MB). CPU time
 * (all threads: a check with a sealed stream seals in a worker thread) is printed beside each ratio.
 * The CLI is the compiled one (`npm run build`). BENCH_MB sets the size, BENCH_ROUNDS the rounds.
 */
const targetMb = Number(process.env.BENCH_MB ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-"));

const CONFIGS: Record<string, string> = {
  "pass-through": `
streams:
  - { name: all, match: { default: true }, retention: 400d }
`,
  tail_sampling: `
streams:
  - name: all
    match: { default: true }
    retention: 400d
    processors:
      - tail_sampling:
          decision_wait: 30s
          num_traces: 50000
          policies:
            - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
            - { name: some, type: probabilistic, probabilistic: { sampling_percentage: 25 } }
`,
  "merkle-checkpoints": `
streams:
  - { name: all, match: { default: true }, retention: 400d, integrity: merkle-checkpoints }
`,
  mixed: `
streams:
  - name: llm
    match: { kind: [llm] }
    processors:
      - probabilistic_sampler: { sampling_percentage: 50, hash_seed: 22 }
      - redaction: { allow_all_keys: true, blocked_values: ['\\b\\d{16}\\b'] }
    retention: 400d
  - name: actions
    match: { default: true }
    processors:
      - tail_sampling:
          policies:
            - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
            - { name: some, type: probabilistic, probabilistic: { sampling_percentage: 25 } }
    retention: 400d
`,
};

interface Measured {
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
  exitCode: number;
}

/** One whole process under bench/measure.mjs: wall time, CPU time and peak RSS. */
async function measure(args: string[]): Promise<Measured> {
  const start = process.hrtime.bigint();
  const run = await execa("node", ["bench/measure.mjs", ...args], { reject: false, stdout: "ignore" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usage = /maxRSS=(\d+) cpuUs=(\d+)/.exec(run.stderr);
  if (!usage || (run.exitCode !== 0 && run.exitCode !== 1)) {
    throw new Error(`${args.join(" ")} failed (exit ${run.exitCode}):\n${run.stderr}`);
  }
  return {
    seconds,
    cpuSeconds: Number(usage[2]) / 1e6,
    rssMb: Number(usage[1]) / 1024,
    exitCode: run.exitCode ?? 0,
  };
}

const check = (file: string, logging: string, extra: string[] = []) =>
  measure([
    "bin/trailcheck.js",
    "check",
    "--trace",
    file,
    "--logging",
    logging,
    "--format",
    "json",
    ...extra,
  ]);
const parseOnly = (file: string) => measure(["bench/parse-only.mjs", file]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const verdict = (ok: boolean) => (ok ? "OK" : "OVER TARGET");

try {
  const file = join(dir, "corpus.jsonl");
  const corpus = await writeCorpus(file, targetMb * 1024 * 1024);
  const mb = corpus.bytes / 1024 / 1024;
  console.log(
    `corpus: ${mb.toFixed(1)} MB, ${corpus.spans} spans, ${corpus.runs} runs (collector file export, json)`,
  );
  const loggings: Record<string, string> = {};
  for (const [name, yaml] of Object.entries(CONFIGS)) {
    loggings[name] = join(dir, `${name}.yaml`);
    await writeFile(loggings[name]!, yaml);
  }

  // Warm the page cache, then alternate baseline and checks so each round sees the same machine load;
  // medians over the rounds resist a neighbour's burst on a shared machine.
  await parseOnly(file);
  const bases: Measured[] = [];
  const checks: Record<string, { m: Measured; ratio: number; cpuRatio: number }[]> = Object.fromEntries(
    Object.keys(CONFIGS).map((name) => [name, []]),
  );
  for (let i = 0; i < rounds; i++) {
    const base = await parseOnly(file);
    bases.push(base);
    for (const name of Object.keys(CONFIGS)) {
      const m = await check(file, loggings[name]!);
      checks[name]!.push({ m, ratio: m.seconds / base.seconds, cpuRatio: m.cpuSeconds / base.cpuSeconds });
    }
  }
  const base = median(bases.map((b) => b.seconds));
  console.log(
    `parse-only baseline: ${base.toFixed(2)} s (CPU ${median(bases.map((b) => b.cpuSeconds)).toFixed(2)} s), ${(mb / base).toFixed(1)} MB/s, peak RSS ${median(bases.map((b) => b.rssMb)).toFixed(0)} MB (median of ${rounds}, whole process)`,
  );
  const rss100: Record<string, number> = {};
  for (const [name, list] of Object.entries(checks)) {
    const seconds = median(list.map((c) => c.m.seconds));
    const ratio = median(list.map((c) => c.ratio));
    const rss = median(list.map((c) => c.m.rssMb));
    const cpu = median(list.map((c) => c.m.cpuSeconds));
    const cpuRatio = median(list.map((c) => c.cpuRatio));
    rss100[name] = rss;
    console.log(
      `check ${name.padEnd(18)} ${seconds.toFixed(2)} s, ratio ${ratio.toFixed(2)}x (rounds ${list.map((c) => c.ratio.toFixed(2)).join(", ")}; target <= 3x, goal 2x) ${verdict(ratio <= 3)}; CPU ${cpu.toFixed(2)} s, ${cpuRatio.toFixed(2)}x; peak RSS ${rss.toFixed(0)} MB (target <= 300 MB) ${verdict(rss <= 300)}`,
    );
  }

  const bigFile = join(dir, "corpus-big.jsonl");
  const big = await writeCorpus(bigFile, 4 * targetMb * 1024 * 1024);
  await rm(file);
  console.log(`corpus x4: ${(big.bytes / 1024 / 1024).toFixed(1)} MB, ${big.spans} spans, ${big.runs} runs`);
  // Medians over the same number of rounds as the 100 MB figures: a single peak RSS swings by
  // 10–15 MB from run to run with when the collector happens to run.
  for (const name of ["pass-through", "tail_sampling", "merkle-checkpoints"]) {
    const list: Measured[] = [];
    for (let i = 0; i < rounds; i++) list.push(await check(bigFile, loggings[name]!));
    const rss = median(list.map((m) => m.rssMb));
    const growth = rss / rss100[name]!;
    console.log(
      `check ${name.padEnd(18)} x4: ${median(list.map((m) => m.seconds)).toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB (rounds ${list.map((m) => m.rssMb.toFixed(0)).join(", ")}) = ${growth.toFixed(2)}x the ${targetMb} MB export (target <= 1.2x) ${verdict(growth <= 1.2)}`,
    );
  }
  const one = await check(bigFile, loggings["mixed"]!, ["--trace-id", big.sampleTraceId]);
  console.log(
    `one trace out of the x4 file: peak RSS ${one.rssMb.toFixed(0)} MB (target < 256 MB) ${verdict(one.rssMb < 256)}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
