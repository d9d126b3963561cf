import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { execa } from "execa";
import { parseLoggingConfig } from "../src/config/logging.js";
import { readRecords } from "../src/ingest/index.js";
import type { SpanRecord } from "../src/model/record.js";
import { resolveProfile } from "../src/profiles/resolve.js";
import { checkRecords } from "../src/reconstruct/check.js";
import { writeCorpus } from "./corpus.js";

/**
 * Check throughput against a parse-only baseline over the same collector file export, in one run.
 * Target: the full check costs at most 3× reading and JSON.parse-ing the file. Then the peak RSS of
 * checking one trace out of that file in a separate process (target: under 256 MB).
 */
const targetMb = Number(process.env.BENCH_MB ?? 100);
const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-"));
const file = join(dir, "corpus.jsonl");
const LOGGING = `
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
`;

async function parseOnly(): Promise<number> {
  let spans = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line) continue;
    const body = JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
  }
  return spans;
}

interface CheckFigures {
  spans: number;
  runs: number;
  gaps: number;
  ingestSeconds: number;
}

async function fullCheck(): Promise<CheckFigures> {
  const config = parseLoggingConfig(LOGGING, "bench");
  const profile = await resolveProfile("reconstructable");
  const start = process.hrtime.bigint();
  const records: SpanRecord[] = [];
  for await (const r of readRecords(file, { format: "collector-jsonl" })) records.push(r);
  const ingestSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { verdicts } = checkRecords(records, config, profile, { auditAfterNs: 0n });
  const gaps = verdicts.reduce((n, v) => n + v.gaps.length, 0);
  return { spans: records.length, runs: verdicts.length, gaps, ingestSeconds };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

try {
  const corpus = await writeCorpus(file, targetMb * 1024 * 1024);
  const mb = corpus.bytes / 1024 / 1024;
  console.log(
    `corpus: ${mb.toFixed(1)} MB, ${corpus.spans} spans, ${corpus.runs} runs (collector file export, json)`,
  );
  // Warm the page cache, then alternate baseline and check so both see the same machine load;
  // medians over the rounds resist a neighbour's burst on a shared 2-core machine.
  await parseOnly();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const bases: number[] = [];
  const checks: { seconds: number; value: CheckFigures }[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const base = await timed(parseOnly);
    const check = await timed(fullCheck);
    bases.push(base.seconds);
    checks.push(check);
    ratios.push(check.seconds / base.seconds);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(bases);
  const checkSeconds = median(checks.map((c) => c.seconds));
  const last = checks[checks.length - 1]!.value;
  const ingest = median(checks.map((c) => c.value.ingestSeconds));
  const ratio = median(ratios);
  console.log(
    `parse-only baseline: ${base.toFixed(2)} s, ${(corpus.spans / base).toFixed(0)} spans/s, ${(mb / base).toFixed(1)} MB/s (median of ${rounds})`,
  );
  console.log(
    `full check:          ${checkSeconds.toFixed(2)} s, ${(last.spans / checkSeconds).toFixed(0)} spans/s, ${last.runs} runs, ${last.gaps} gaps`,
  );
  console.log(
    `  of which ingest ${ingest.toFixed(2)} s; simulate, reconstruct and compare ${(checkSeconds - ingest).toFixed(2)} s`,
  );
  console.log(
    `ratio check/parse:   ${ratio.toFixed(2)}x median, rounds ${ratios.map((r) => r.toFixed(2)).join(", ")} (target <= 3x) ${ratio <= 3 ? "OK" : "OVER TARGET"}`,
  );

  const logging = join(dir, "logging.yaml");
  await import("node:fs/promises").then((fs) => fs.writeFile(logging, LOGGING));
  const one = await execa(
    "node",
    ["--expose-gc", "bin/run-ts.js", "bench/check-one.ts", file, logging, corpus.sampleTraceId],
    { reject: false },
  );
  const rss = Number(/maxRSS=(\d+)/.exec(one.stdout)?.[1] ?? Number.NaN) / 1024;
  console.log(
    `one trace out of the file: peak RSS ${rss.toFixed(0)} MB (target < 256 MB) ${rss < 256 ? "OK" : "OVER TARGET"}`,
  );
  if (one.exitCode !== 0 && one.exitCode !== 1) console.log(one.stderr);
} finally {
  await rm(dir, { recursive: true, force: true });
}
