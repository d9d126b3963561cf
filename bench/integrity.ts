/**
 * Sealing and verification throughput beside plain SHA-256 over the same bytes, in the same run.
 * Run: npm run bench:integrity   (node bin/run-ts.js bench/integrity.ts [MB])
 *
 * "core" figures work on bytes in memory (what the hashing costs); "disk" figures include the
 * writer's appends, fsyncs and checkpoint files, and the verifier's reads.
 */
import { createHash, createPrivateKey, createPublicKey, hash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signCheckpoint } from "../src/integrity/checkpoint.js";
import { CompactRange } from "../src/integrity/compact-range.js";
import { type Digest, leafDigest } from "../src/integrity/hash.js";
import { generateKeyPair, signingKey } from "../src/integrity/keys.js";
import type { LogStore } from "../src/integrity/read-store.js";
import { splitLines } from "../src/integrity/store-layout.js";
import { verifyLogDir, verifyLogStore } from "../src/integrity/verify-log.js";
import { SealedLogWriter } from "../src/integrity/writer.js";

const targetMb = Number(process.argv[2] ?? 32);
const CHECKPOINT_EVERY = 1000;
const ORIGIN = "bench.trailcheck/log";

/**
 * Canonical-looking spans: tool spans and LLM spans with message text. `scale` 1 gives the mixed
 * corpus (~1.4 KB on average); other scales grow or shrink the payloads.
 */
function records(totalBytes: number, scale = 1): string[] {
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < totalBytes; i++) {
    const llm = i % 4 === 0;
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(
      Math.max(1, Math.round((llm ? 80 : 6) * scale)),
    );
    const line = JSON.stringify({
      traceId: (Math.floor(i / 12) + 1).toString(16).padStart(32, "0"),
      spanId: (i + 1).toString(16).padStart(16, "0"),
      name: llm ? "chat gpt-4o" : "execute_tool search",
      kind: llm ? "llm" : "tool",
      start: String(1_735_689_600_000_000_000n + BigInt(i) * 1_000_000n),
      end: String(1_735_689_600_000_000_000n + BigInt(i) * 1_000_000n + 900_000n),
      status: { code: "ok" },
      attributes: llm
        ? {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.output.messages": text,
          }
        : {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "search",
            "gen_ai.tool.call.arguments": text,
          },
    });
    out.push(line);
    bytes += line.length + 1;
  }
  return out;
}

function best(runs: number, fn: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

async function bestAsync(runs: number, fn: () => Promise<void>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

const pems = generateKeyPair();
const privateKey = createPrivateKey(pems.privatePem);
const publicKey = createPublicKey(pems.publicPem);
const key = signingKey(ORIGIN, privateKey);

/** The writer's hashing and signing, from bytes: leaf hashes, compact range, a signed checkpoint per 1000. */
function sealCore(lineBuffers: readonly Buffer[]): { leaves: Digest[]; checkpoints: string[] } {
  const range = new CompactRange();
  const leaves: Digest[] = [];
  const checkpoints: string[] = [];
  const publish = (final: boolean) =>
    checkpoints.push(
      signCheckpoint(
        {
          origin: ORIGIN,
          size: range.size,
          root: range.root(),
          time: new Date(0),
          seq: checkpoints.length + 1,
          cadence: { records: CHECKPOINT_EVERY, intervalMs: 0 },
          final,
        },
        key,
      ),
    );
  for (const line of lineBuffers) {
    const leaf = leafDigest(line);
    leaves.push(leaf);
    range.appendDigest(leaf);
    if (range.size % CHECKPOINT_EVERY === 0) publish(false);
  }
  publish(true);
  return { leaves, checkpoints };
}

interface Corpus {
  readonly lines: string[];
  readonly segment: Buffer;
  readonly mb: number;
  readonly lineBuffers: Buffer[];
}

function corpus(totalMb: number, scale: number): Corpus {
  const lines = records(totalMb * 1024 * 1024, scale);
  const segment = Buffer.from(`${lines.join("\n")}\n`);
  return { lines, segment, mb: segment.length / (1024 * 1024), lineBuffers: splitLines(segment) };
}

/**
 * Plain SHA-256, seal and verify are timed in the same round, one after another, so the ratios
 * compare like with like even on a busy machine; the best round of each is kept.
 */
interface CoreTimes {
  /** Fastest round of each, ms. */
  readonly plain: number;
  readonly perRecord: number;
  readonly seal: number;
  readonly verify: number;
  /** Median over rounds of (plain time / x time) within the same round. */
  readonly ratio: { readonly perRecord: number; readonly seal: number; readonly verify: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measureCore(c: Corpus, rounds: number): CoreTimes {
  const sealed = sealCore(c.lineBuffers);
  const store: LogStore = {
    segments: [
      { file: "segments/000000000000.jsonl", start: 0, lines: c.lineBuffers, leaves: sealed.leaves },
    ],
    checkpoints: sealed.checkpoints.map((text, i) => ({
      file: `checkpoints/${i + 1}.checkpoint`,
      seq: i + 1,
      text,
    })),
    unexpected: [],
  };
  const runs = {
    plain: [] as number[],
    perRecord: [] as number[],
    seal: [] as number[],
    verify: [] as number[],
  };
  for (let r = 0; r < rounds; r++) {
    runs.plain.push(best(1, () => void createHash("sha256").update(c.segment).digest()));
    // One digest per record: the floor any per-record scheme (a hash chain, a Merkle log) pays in Node.
    runs.perRecord.push(
      best(1, () => {
        for (const line of c.lineBuffers) hash("sha256", line, "buffer");
      }),
    );
    runs.seal.push(best(1, () => void sealCore(c.lineBuffers)));
    runs.verify.push(
      best(1, () => {
        const v = verifyLogStore(store, publicKey, { now: new Date(0) });
        if (!v.valid) throw new Error(`bench log failed verification: ${JSON.stringify(v.findings[0])}`);
      }),
    );
  }
  const ratio = (xs: number[]) => median(xs.map((x, r) => runs.plain[r]! / x));
  return {
    plain: Math.min(...runs.plain),
    perRecord: Math.min(...runs.perRecord),
    seal: Math.min(...runs.seal),
    verify: Math.min(...runs.verify),
    ratio: { perRecord: ratio(runs.perRecord), seal: ratio(runs.seal), verify: ratio(runs.verify) },
  };
}

const rate = (mb: number, ms: number) => mb / (ms / 1000);
const fmt = (mb: number, ms: number, ratio: number) =>
  `${rate(mb, ms).toFixed(0).padStart(5)} MB/s (${ratio.toFixed(2)}×)`;
const out: string[] = [
  `trailcheck integrity benchmark — node ${process.version} ${process.arch}, checkpoint every ${CHECKPOINT_EVERY}, 9 interleaved rounds`,
  "MB/s: fastest round; (×): median over rounds of plain SHA-256 time / this time, same bytes, same round; target ≥ 0.50×",
  "",
  "avg record   records   plain SHA-256   SHA-256 per record     seal (core)             verify (core)",
];
for (const scale of [0.3, 1, 3, 12]) {
  const c = corpus(scale >= 3 ? targetMb : targetMb / 2, scale);
  const t = measureCore(c, 9);
  out.push(
    `${`${Math.round(c.segment.length / c.lines.length)} B`.padStart(10)}   ${String(c.lines.length).padStart(7)}   ${rate(c.mb, t.plain).toFixed(0).padStart(5)} MB/s      ${fmt(c.mb, t.perRecord, t.ratio.perRecord)}   ${fmt(c.mb, t.seal, t.ratio.seal)}   ${fmt(c.mb, t.verify, t.ratio.verify)}`,
  );
}

// End to end on disk for the mixed corpus: the writer's appends, fsyncs and checkpoint files; the verifier's reads.
const mixed = corpus(targetMb, 1);
const plainMs = best(5, () => void createHash("sha256").update(mixed.segment).digest());
const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-"));
const diskSealMs = await bestAsync(2, async () => {
  await rm(dir, { recursive: true, force: true });
  const writer = await SealedLogWriter.open({
    dir,
    privateKey,
    origin: ORIGIN,
    checkpointEvery: CHECKPOINT_EVERY,
    heartbeatMs: 0,
  });
  await writer.appendMany(mixed.lines);
  await writer.close();
});
const diskVerifyMs = await bestAsync(2, async () => {
  const v = await verifyLogDir(dir, publicKey);
  if (!v.valid) throw new Error(`bench log failed verification: ${JSON.stringify(v.findings[0])}`);
});
await rm(dir, { recursive: true, force: true });
out.push(
  "",
  `disk, ${mixed.mb.toFixed(1)} MB mixed corpus: seal (SealedLogWriter) ${fmt(mixed.mb, diskSealMs, plainMs / diskSealMs)}, verify (verifyLogDir) ${fmt(mixed.mb, diskVerifyMs, plainMs / diskVerifyMs)}`,
  "",
);
process.stdout.write(out.join("\n"));
