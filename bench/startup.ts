import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * Start-up of the installed CLI (bin/trailcheck.js → dist/, as users run it): `trailcheck --help`,
 * `trailcheck check --help` and a `check` of one small trace, against `node -e ""` in the same run,
 * alternating over rounds; medians of wall time and of peak RSS. Targets on a 2-core machine:
 * `check --help` ≤ 250 ms, `--help` ≤ 500 ms and ≤ 120 MB.
 * `npm run bench:startup` (builds dist/ first); BENCH_ROUNDS (default 15).
 */
const ROOT = join(import.meta.dirname, "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const BIN = join(ROOT, "bin", "trailcheck.js");
// Reports the process's peak RSS and CPU time on exit, on stderr's last line. CPU time moves less than
// wall time when other work shares the machine.
const RSS = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nmaxRSS "+u.maxRSS+" cpu "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

const cases: { name: string; args: string[]; target?: { ms: number; mb?: number } }[] = [
  { name: 'node -e ""', args: ["-e", ""] },
  { name: "trailcheck --help", args: [BIN, "--help"], target: { ms: 500, mb: 120 } },
  { name: "trailcheck check --help", args: [BIN, "check", "--help"], target: { ms: 250 } },
  {
    name: "trailcheck check (one 55 kB trace)",
    args: [
      BIN,
      "check",
      "--trace",
      join(ROOT, "examples/traces/ai-sdk-v6.otlp.json"),
      "--logging",
      join(ROOT, "examples/logging/passing.yaml"),
    ],
  },
];

function once(args: string[]): { ms: number; mb: number; cpu: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", RSS, ...args], { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const m = /maxRSS (\d+) cpu (\d+)\s*$/.exec(r.stderr);
  return { ms, mb: Number(m?.[1]) / 1024, cpu: Number(m?.[2]) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

if (!process.argv.includes("--no-build"))
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
for (const c of cases) once(c.args); // warm the file cache
const samples = cases.map(() => ({ ms: [] as number[], mb: [] as number[], cpu: [] as number[] }));
for (let r = 0; r < rounds; r++) {
  cases.forEach((c, i) => {
    const s = once(c.args);
    samples[i]!.ms.push(s.ms);
    samples[i]!.mb.push(s.mb);
    samples[i]!.cpu.push(s.cpu);
  });
}

const base = median(samples[0]!.ms);
console.log(
  `start-up, median of ${rounds} rounds (node ${process.version}, ${process.platform}-${process.arch})`,
);
cases.forEach((c, i) => {
  const ms = median(samples[i]!.ms);
  const mb = median(samples[i]!.mb);
  const cpu = median(samples[i]!.cpu);
  const verdict = c.target
    ? ms <= c.target.ms && (c.target.mb === undefined || mb <= c.target.mb)
      ? `  within target (≤ ${c.target.ms} ms${c.target.mb ? `, ≤ ${c.target.mb} MB` : ""})`
      : `  OVER TARGET (≤ ${c.target.ms} ms${c.target.mb ? `, ≤ ${c.target.mb} MB` : ""})`
    : "";
  console.log(
    `${c.name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(1).padStart(5)}× node  ${cpu.toFixed(0).padStart(5)} ms CPU  ${mb.toFixed(0).padStart(4)} MB${verdict}`,
  );
});
