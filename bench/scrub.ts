import { Scrubber } from "../src/incidents/scrub.js";

/**
 * Scrubbing time of values built to make a backtracking detector retry at every position, beside the
 * time of scrubbing ordinary prose of the same size, in one run. Targets: doubling a value's size at
 * most triples its time (linear, with room for noise), and no hostile value costs more than 20× the
 * prose baseline (a detector that retried at every position costs thousands of times more at 300 kB). `npm run bench:scrub`; BENCH_KB (default 300), BENCH_ROUNDS (default 5, median reported).
 */
const kb = Number(process.env.BENCH_KB ?? 300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const VALUES: Record<string, (size: number) => string> = {
  "prose (baseline)": (n) => repeat("The refund for order A-1001 was approved by the agent. ", n),
  "email local part, no @": (n) => repeat("a", n),
  "dots and at signs": (n) => repeat("a.@", n),
  "digit run": (n) => repeat("1", n),
  "digit groups": (n) => repeat("4111 ", n),
  "dotted numbers": (n) => repeat("1.2.3.4.", n),
  "hex and colons": (n) => repeat("a:", n),
  "secret names": (n) => repeat("password= ", n),
  "base64 run": (n) => repeat("QUFB", n),
  "PEM headers, no END": (n) => repeat("-----BEGIN PRIVATE KEY-----\n", n),
  "JSON numbers": (n) => `[${repeat("4111111111111112,", n - 3)}1]`,
  "JSON strings": (n) => `[${repeat('"ok",', n - 3)}1]`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(text: string): number {
  const start = process.hrtime.bigint();
  new Scrubber().text(text, "bench");
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const size = kb * 1000;
const inputs = Object.entries(VALUES).map(([name, make]) => ({ name, one: make(size), two: make(2 * size) }));
// Warm-up: the JIT and re2js's lazily built automata, for every value.
for (const input of inputs) time(input.one.slice(0, 20_000));

const figures = inputs.map((input) => ({ name: input.name, one: [] as number[], two: [] as number[] }));
// Rounds alternate over every value, so load from elsewhere on the machine falls on all of them alike.
for (let round = 0; round < rounds; round++) {
  inputs.forEach((input, i) => {
    figures[i]!.one.push(time(input.one));
    figures[i]!.two.push(time(input.two));
  });
}

const baseline = median(figures[0]!.one);
console.log(`trailcheck bench:scrub — ${kb} kB and ${2 * kb} kB values, median of ${rounds} rounds`);
console.log(
  `${"value".padEnd(24)} ${`${kb} kB`.padStart(9)} ${`${2 * kb} kB`.padStart(9)}   × prose   2×size`,
);
let ok = true;
for (const f of figures) {
  const one = median(f.one);
  const two = median(f.two);
  const vsProse = one / baseline;
  const growth = two / one;
  ok &&= vsProse <= 20 && growth <= 3;
  console.log(
    `${f.name.padEnd(24)} ${one.toFixed(0).padStart(6)} ms ${two.toFixed(0).padStart(6)} ms ${vsProse.toFixed(1).padStart(8)}× ${growth.toFixed(2).padStart(7)}×`,
  );
}
console.log(`targets (≤ 20× prose, ≤ 3× for twice the size): ${ok ? "ok" : "over target"}`);
