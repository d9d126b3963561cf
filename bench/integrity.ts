/**
 * `trailcheck seal` and `trailcheck verify` against plain SHA-256 of every record of the same file,
 * measured in the same run. Target (each): ≤ 2× the baseline.
 * Run: npm run bench:integrity [-- RECORDS [ROUNDS]]   (default 200,000 records of ~620 B, 5 rounds)
 *
 * Whole processes are what a user runs: the compiled CLI (dist/, built first) against a plain node
 * script (bench/sha256-records.mjs). In process: the same work without node's start-up and module
 * loading — the functions the verbs call, against the same baseline function. A third script
 * (bench/seal-floor.mjs) does only what the log's formats and promises require of any seal — the
 * same hashes plus inner nodes, the segment and index written with a sync per step, a signed, synced
 * checkpoint file every 1000 records — with no input checked: the least a seal can cost here.
 * Rounds interleave them all so load on the machine falls on each; the ratio is the median over rounds of
 * (time / baseline time of the same round), the times are the fastest round.
 */
import { createPublicKey } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { runSeal } from "../src/cli/seal.js";
import { generateKeyPair } from "../src/integrity/keys.js";
import { readSealingChunks } from "../src/integrity/read-records-for-sealing.js";
import { verifyLogDir } from "../src/integrity/verify-log.js";
// @ts-expect-error: a plain JavaScript module, so that the baseline process runs without a loader.
import { sha256Records } from "./sha256-records.mjs";

const RECORDS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const root = resolve(import.meta.dirname, "..");
const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-integrity-"));
const input = join(dir, "records.jsonl");

/** Canonical-looking spans, alternating tool calls and model calls, ~620 bytes each. */
async function writeRecords(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  const words = "The quick brown fox jumps over the lazy dog. ".repeat(4);
  let chunk = "";
  for (let i = 0; i < count; i++) {
    const start = 1_767_225_600_000_000_000n + BigInt(i) * 1_000_000n;
    const llm = i % 2 === 1;
    chunk += `${JSON.stringify({
      traceId: (Math.floor(i / 8) + 1).toString(16).padStart(32, "0"),
      spanId: (i + 1).toString(16).padStart(16, "0"),
      parentSpanId: (Math.floor(i / 8) * 8 + 1).toString(16).padStart(16, "0"),
      name: llm ? "chat gpt-4o" : "execute_tool lookup_order",
      kind: llm ? "llm" : "tool",
      convention: "genai",
      spanKind: 1,
      start: String(start),
      end: String(start + 900_000n),
      status: { code: "ok" },
      attributes: llm
        ? {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.output.messages": words,
          }
        : {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "lookup_order",
            "gen_ai.tool.call.id": `call_${i}`,
            "gen_ai.tool.call.arguments": words,
          },
      events: [],
      resource: { "service.name": "support-agent" },
    })}\n`;
    if (chunk.length > 1 << 20 || i === count - 1) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end();
  await once(out, "finish");
  return (await stat(path)).size;
}

/**
 * CPU seconds used so far by this process and by its finished children (Linux /proc, in USER_HZ
 * ticks of 10 ms), or undefined elsewhere. CPU time is what the ratios are checked on when the
 * machine is busy: wall time then measures the other workload as much as this one.
 */
function cpuSeconds(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    // utime, stime, cutime, cstime are fields 14–17 of stat(5); fields[0] here is field 3.
    return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) / 100;
  } catch {
    return undefined;
  }
}

interface Timing {
  readonly wall: number;
  readonly cpu: number | undefined;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = cpuSeconds();
  const start = performance.now();
  await fn();
  const end = cpuSeconds();
  return {
    wall: (performance.now() - start) / 1000,
    cpu: cpu === undefined || end === undefined ? undefined : end - cpu,
  };
}

/** Runs a verb in this process without its one line of output. */
async function quietly(run: () => Promise<unknown>): Promise<void> {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
}

const cli = (...args: string[]) => execa("node", [join(root, "bin/trailcheck.js"), ...args], { cwd: root });

try {
  process.stdout.write("building dist/ (the CLI users run) …\n");
  await execa("node", [join(root, "scripts/build.js")], { cwd: root });
  const bytes = await writeRecords(input, RECORDS);
  const pems = generateKeyPair();
  await writeFile(join(dir, "private.pem"), pems.privatePem);
  await writeFile(join(dir, "public.pem"), pems.publicPem);
  const publicKey = createPublicKey(pems.publicPem);

  const names = ["plain", "floor", "seal", "verify", "plainIn", "sealIn", "ingestIn", "verifyIn"] as const;
  const runs = Object.fromEntries(names.map((n) => [n, [] as Timing[]])) as Record<
    (typeof names)[number],
    Timing[]
  >;
  for (let round = 0; round < ROUNDS; round++) {
    const log = join(dir, `log-${round}`);
    const logIn = join(dir, `log-in-${round}`);
    runs.plain.push(await timed(() => execa("node", [join(root, "bench/sha256-records.mjs"), input])));
    const floorOut = join(dir, `floor-${round}`);
    runs.floor.push(await timed(() => execa("node", [join(root, "bench/seal-floor.mjs"), input, floorOut])));
    await rm(floorOut, { recursive: true });
    runs.seal.push(
      await timed(() => cli("seal", "--in", input, "--out", log, "--key", join(dir, "private.pem"))),
    );
    runs.verify.push(await timed(() => cli("verify", log, "--key", join(dir, "public.pem"))));
    runs.plainIn.push(await timed(() => sha256Records(input)));
    runs.sealIn.push(
      await timed(() => quietly(() => runSeal({ in: input, out: logIn, key: join(dir, "private.pem") }))),
    );
    runs.ingestIn.push(
      await timed(async () => {
        for await (const _ of readSealingChunks(input));
      }),
    );
    runs.verifyIn.push(
      await timed(async () => {
        const result = await verifyLogDir(logIn, publicKey);
        if (!result.valid || result.stats.records !== RECORDS)
          throw new Error("the bench log does not verify");
      }),
    );
    await rm(log, { recursive: true });
    await rm(logIn, { recursive: true });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const column = (xs: Timing[], base: Timing[], of: keyof Timing) => {
    const times = xs.map((t) => t[of]);
    if (times.some((t) => t === undefined)) return "".padStart(16);
    const best = (times as number[]).reduce((a, b) => Math.min(a, b));
    const ratio = median(times.map((t, i) => t! / base[i]![of]!));
    return `${best.toFixed(2).padStart(6)} s ${ratio.toFixed(2).padStart(5)}×`;
  };
  const row = (label: string, xs: Timing[], base: Timing[]) =>
    `  ${label.padEnd(44)} ${column(xs, base, "wall")}   ${column(xs, base, "cpu")}`;
  process.stdout.write(
    [
      `trailcheck integrity — ${RECORDS} records, ${(bytes / RECORDS).toFixed(0)} B each (${(bytes / 2 ** 20).toFixed(1)} MiB), node ${process.version}, ${ROUNDS} interleaved rounds`,
      "fastest round; ratio = median over rounds of time / plain SHA-256 of every record in the same round (target ≤ 2×)",
      "",
      `${"".padEnd(46)}${"wall".padEnd(19)}cpu (user + system, children included)`,
      "whole processes",
      row("plain SHA-256 of every record (node script)", runs.plain, runs.plain),
      row("what any seal must do, in plain node (script)", runs.floor, runs.plain),
      row("trailcheck seal --in FILE (dist/)", runs.seal, runs.plain),
      row("trailcheck verify DIR (dist/)", runs.verify, runs.plain),
      "in process",
      row("plain SHA-256 of every record", runs.plainIn, runs.plainIn),
      row("seal: runSeal (what the verb runs)", runs.sealIn, runs.plainIn),
      row("  of which reading and canonicalising input", runs.ingestIn, runs.plainIn),
      row("verify: verifyLogDir", runs.verifyIn, runs.plainIn),
      "",
    ].join("\n"),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
