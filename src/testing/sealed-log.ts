import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair } from "../integrity/keys.js";
import { WRITER_LOCK } from "../integrity/store-layout.js";
import { SealedLogWriter } from "../integrity/writer.js";
import { span, T0 } from "./records.js";
import { tempDir } from "./temp-dirs.js";

/** A sealed log in a temp dir (`temp-dirs.ts`: gone after each test with `cleanupAfterEach()`), written on a fake clock. */
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
/** The log's clock starts where built runs start (`T0`), in milliseconds. */
export const FIXTURE_START = Number(T0 / 1_000_000n);

/** A record of its own (span id `i + 1`, runs of five), so every line of the log differs. */
export function fixtureRecord(i: number, payload = ""): string {
  return JSON.stringify(
    span({
      traceId: (Math.floor(i / 5) + 1).toString(16).padStart(32, "0"),
      id: i + 1,
      name: `step ${i}`,
      kind: i % 2 === 0 ? "tool" : "llm",
      startS: i,
      endS: i + 0.5,
      attributes: { payload },
    }),
  );
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
  const dir = await tempDir("trailcheck-sealed-");
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
  if (options.open) {
    await writer.checkpoint();
    // Left as a writer that died leaves it: its process, and so its writer lock, gone.
    await rm(join(dir, WRITER_LOCK));
  } else await writer.close();
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

/**
 * Reopens a fixture's log for writing, as the fixture wrote it (a checkpoint every 4 records, segments
 * of 5) and with a clock one second past its last checkpoint.
 */
export function reopenFixtureLog(
  f: Pick<SealedLogFixture, "dir" | "privateKey" | "now">,
): Promise<SealedLogWriter> {
  return SealedLogWriter.open({
    dir: f.dir,
    privateKey: f.privateKey,
    origin: FIXTURE_ORIGIN,
    checkpointEvery: 4,
    segmentRecords: 5,
    timer: false,
    clock: () => new Date(f.now.getTime() + 1000),
  });
}
