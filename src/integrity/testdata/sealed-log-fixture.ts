import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "../keys.js";
import { SealedLogWriter } from "../writer.js";

/** Test-only support: a sealed log in a temp dir, written with a fake clock. */
export interface SealedLogFixture {
  readonly dir: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
  readonly origin: string;
  /** The clock's time after the last checkpoint; verify "now" near it. */
  readonly now: Date;
  cleanup(): Promise<void>;
}

export const FIXTURE_ORIGIN = "trailcheck.test/audit-log";
export const FIXTURE_START = Date.parse("2025-01-01T00:00:00.000Z");

/** A canonical-looking record with a unique span id, so every line differs. */
export function fixtureRecord(i: number, payload = ""): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  return JSON.stringify({
    traceId: hex(Math.floor(i / 5) + 1, 32),
    spanId: hex(i + 1, 16),
    name: `step ${i}`,
    kind: i % 2 === 0 ? "tool" : "llm",
    start: String(BigInt(FIXTURE_START) * 1_000_000n + BigInt(i) * 1_000_000_000n),
    end: String(BigInt(FIXTURE_START) * 1_000_000n + BigInt(i) * 1_000_000_000n + 500_000_000n),
    attributes: { payload },
  });
}

export interface FixtureOptions {
  readonly records: readonly string[];
  readonly checkpointEvery?: number;
  readonly segmentRecords?: number;
  readonly heartbeatMs?: number;
  /** Leave the log open (no final checkpoint). */
  readonly open?: boolean;
}

export async function sealedLogFixture(options: FixtureOptions): Promise<SealedLogFixture> {
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-sealed-"));
  const pems = generateKeyPair();
  const privateKey = createPrivateKey(pems.privatePem);
  let time = FIXTURE_START;
  const writer = await SealedLogWriter.open({
    dir,
    privateKey,
    origin: FIXTURE_ORIGIN,
    checkpointEvery: options.checkpointEvery ?? 4,
    segmentRecords: options.segmentRecords ?? 5,
    heartbeatMs: options.heartbeatMs ?? 60_000,
    timer: false,
    clock: () => {
      time += 1000;
      return new Date(time);
    },
  });
  await writer.appendMany(options.records);
  if (options.open) await writer.checkpoint();
  else await writer.close();
  return {
    dir,
    privateKey,
    publicKey: createPublicKey(privateKey),
    ...pems,
    origin: FIXTURE_ORIGIN,
    now: new Date(time),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function listDir(dir: string, sub: string): Promise<string[]> {
  return (await readdir(join(dir, sub)))
    .filter((n) => !n.startsWith("."))
    .sort()
    .map((n) => `${sub}/${n}`);
}

/** Rewrites a segment's records (not its leaf index) through `edit`. */
export async function editLines(
  dir: string,
  file: string,
  edit: (lines: string[]) => string[],
): Promise<void> {
  const text = await readFile(join(dir, file), "utf8");
  const lines = text.split("\n").slice(0, -1);
  const out = edit(lines);
  await writeFile(join(dir, file), out.length > 0 ? `${out.join("\n")}\n` : "");
}
