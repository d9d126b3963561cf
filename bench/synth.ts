import { join } from "node:path";
import fc from "fast-check";
import { loadLoggingConfig } from "../src/config/logging.js";
import { resolveProfile } from "../src/profiles/resolve.js";
import { auditTime } from "../src/project/judging.js";
import { agentRunArb } from "../src/synth/agent-run.js";
import { checkProperties, evaluateRun } from "../src/synth/properties.js";

/**
 * Synthetic runs checked per second and spans per second, beside the cost of only generating the same
 * runs (same seed, `fc.sample`), in one run. Target: checking costs at most 2× generating.
 * `npm run bench:synth [-- LOGGING.yaml]`; BENCH_RUNS (default 2000), BENCH_SEED (default 1).
 */
const file = process.argv[2] ?? join(import.meta.dirname, "..", "examples", "logging", "passing.yaml");
const numRuns = Number(process.env.BENCH_RUNS ?? 2000);
const seed = Number(process.env.BENCH_SEED ?? 1);
const config = await loadLoggingConfig(file);
const profile = await resolveProfile(config.compliance);
const audit = auditTime({}, profile);
const options = { auditAfterNs: audit.ns };

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const arb = agentRunArb();

// Warm-up, so neither side pays for the JIT alone.
for (const run of fc.sample(arb, { seed: seed + 1, numRuns: 100 }))
  evaluateRun(run, config, profile, options);

let t = process.hrtime.bigint();
const runs = fc.sample(arb, { seed, numRuns });
const generateMs = ms(t);
const spans = runs.reduce((n, r) => n + r.records.length, 0);

t = process.hrtime.bigint();
let gaps = 0;
for (const run of runs) gaps += evaluateRun(run, config, profile, options).gaps.length;
const checkMs = ms(t);

t = process.hrtime.bigint();
const result = checkProperties(config, profile, { ...options, seed, numRuns, probabilities: false });
const propertyMs = ms(t);

const rate = (n: number, msTaken: number) => Math.round((n / msTaken) * 1000).toLocaleString("en");
console.log(`trailcheck bench:synth — ${file}, profile ${profile.name}, audit ${audit.text}`);
console.log(
  `${numRuns} runs, ${spans} spans (${(spans / numRuns).toFixed(1)} per run), seed ${seed}, ${gaps} gaps`,
);
console.log(
  `generate only:  ${generateMs.toFixed(0).padStart(6)} ms  ${rate(numRuns, generateMs).padStart(8)} runs/s  ${rate(spans, generateMs).padStart(9)} spans/s`,
);
console.log(
  `check:          ${checkMs.toFixed(0).padStart(6)} ms  ${rate(numRuns, checkMs).padStart(8)} runs/s  ${rate(spans, checkMs).padStart(9)} spans/s`,
);
console.log(
  `fuzz (both, through fc.check): ${propertyMs.toFixed(0)} ms, ${result.failed ? "counterexample found" : "no counterexample"}`,
);
const ratio = checkMs / generateMs;
console.log(`check / generate = ${ratio.toFixed(2)}× (target ≤ 2×): ${ratio <= 2 ? "ok" : "over target"}`);
