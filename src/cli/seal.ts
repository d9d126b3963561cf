import { createPublicKey } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { parsePositiveInt, readKeyFile } from "../integrity/cli-support.js";
import { leafDigest } from "../integrity/hash.js";
import { type OpenTail, openTail } from "../integrity/open-tail.js";
import { readSealingChunks } from "../integrity/read-records-for-sealing.js";
import type { RecordChunk } from "../integrity/record-chunks.js";
import { LogRefusal, SealedLogWriter } from "../integrity/writer.js";

interface SealFlags {
  in: string;
  out: string;
  key: string;
  checkpointEvery?: string;
  origin?: string;
}

export async function runSeal(flags: SealFlags): Promise<number> {
  const every = flags.checkpointEvery ? parsePositiveInt(flags.checkpointEvery, "--checkpoint-every") : 1000;
  const privateKey = await readKeyFile(flags.key, "private");
  const origin = flags.origin ?? `trailcheck.local/${basename(resolve(flags.out))}`;
  if (!/^[\x21-\x7e]{1,255}$/.test(origin)) {
    throw new InputError("bad-option", "--origin must be printable ASCII without spaces", {
      field: "origin",
    });
  }
  const chunks = readSealingChunks(flags.in);
  const first = await chunks.next();
  if (first.done) throw new InputError("no-records", "the file holds no records to seal", { file: flags.in });
  const fresh = await isFreshOut(flags.out);
  let writer: SealedLogWriter;
  try {
    // Sealing a finished file has no heartbeat: the final checkpoint closes the log instead.
    writer = await SealedLogWriter.open({
      dir: flags.out,
      privateKey,
      origin,
      checkpointEvery: every,
      heartbeatMs: 0,
    });
  } catch (err) {
    // The error line names --out once: a refusal's reason is its message without the folder.
    const message = err instanceof LogRefusal ? err.reason : (err as Error).message;
    throw new InputError("seal-out", message, { file: flags.out });
  }
  const before = writer.size;
  let resumed = 0;
  let newest: string;
  try {
    // Extending a log: the whole input is read, and must be valid, before the log changes at all.
    let input: AsyncIterable<RecordChunk> | Iterable<RecordChunk>;
    if (fresh) input = prepend(first.value, chunks);
    else {
      const all = await collect(first.value, chunks);
      const tail = await openTail(flags.out, createPublicKey(privateKey));
      input = tail ? afterTail(all, tail, flags) : all;
      resumed = tail?.leaves.length ?? 0;
    }
    try {
      // A chunk lies in the reader's buffer, which the next read reuses: each is written before that.
      for await (const { buf, from, to } of input) await writer.appendEncoded(buf, from, to);
      newest = await writer.close();
    } catch (err) {
      // A new log is all or nothing: a bad record half way leaves no half-sealed log behind.
      await removeFreshLog(flags.out, fresh);
      throw err;
    }
  } finally {
    // Refused or failed: the log is left as it was, its writer lock too.
    writer.release();
  }
  const sealed = writer.size - before;
  const skipped =
    resumed > 0 ? `; its first ${resumed}, sealed by an interrupted run, were not sealed again` : "";
  process.stdout.write(
    `sealed ${sealed} records from ${flags.in} into ${flags.out} (origin ${origin}${skipped})\n${newest}\n`,
  );
  return ExitCode.ok;
}

/** Whether --out is new or an empty folder: the seal then creates the whole log (streamed). */
async function isFreshOut(out: string): Promise<"missing" | "empty" | undefined> {
  try {
    return (await readdir(out)).length === 0 ? "empty" : undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : undefined;
  }
}

/** Takes back what a failed seal created: the folder it made, or what it put in an empty one. */
async function removeFreshLog(out: string, fresh: "missing" | "empty" | undefined): Promise<void> {
  if (fresh === "missing") await rm(out, { recursive: true, force: true });
  else if (fresh === "empty") {
    for (const name of await readdir(out)) await rm(join(out, name), { recursive: true, force: true });
  }
}

/**
 * The input without the records an interrupted seal of it already put in the log: a log left open
 * (its newest checkpoint not final) whose records since its last final checkpoint are, byte for byte,
 * the start of the input. Sealing the whole input again would hold those records twice. Any other
 * open tail is refused: what left it is not this file's seal.
 */
function afterTail(chunks: readonly RecordChunk[], tail: OpenTail, flags: SealFlags): RecordChunk[] {
  const rest: RecordChunk[] = [];
  let matched = 0;
  for (const { buf, from, to } of chunks) {
    let at = from;
    for (; matched < tail.leaves.length && at < to; matched++) {
      const end = buf.indexOf(0x0a, at);
      if (leafDigest(buf.subarray(at, end)) !== tail.leaves[matched]) break;
      at = end + 1;
    }
    if (matched < tail.leaves.length && at < to) break;
    if (at < to) rest.push({ buf, from: at, to });
  }
  if (matched === tail.leaves.length) return rest;
  const last = tail.from + tail.leaves.length - 1;
  throw new InputError(
    "seal-out",
    `it was left open (its newest checkpoint is not final): records ${tail.from}–${last} were added by a ` +
      `writer that stopped without closing it, and they are not the start of ${flags.in}, so this is not ` +
      "that run again; seal into a new folder",
    { file: flags.out },
  );
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* rest;
}

/** Every chunk, each copied out of the reader's buffer. */
async function collect(first: RecordChunk, rest: AsyncIterable<RecordChunk>): Promise<RecordChunk[]> {
  const copy = ({ buf, from, to }: RecordChunk): RecordChunk => ({
    buf: Buffer.from(buf.subarray(from - 1, to)),
    from: 1,
    to: to - from + 1,
  });
  const all = [copy(first)];
  for await (const chunk of rest) all.push(copy(chunk));
  return all;
}

export function register(program: Command): void {
  program
    .command("seal")
    .description("Seal an existing record file into a tamper-evident log with signed checkpoints.")
    .requiredOption(
      "--in <file>",
      "records: OTLP JSON or protobuf, collector file export (JSON lines, format: proto, zstd), OpenAI Agents SDK export, trailcheck JSONL",
    )
    .requiredOption("--out <dir>", "sealed log directory (created, or extended if it already holds a log)")
    .requiredOption("--key <private.pem>", "Ed25519 private key from `trailcheck keygen`")
    .option("--checkpoint-every <n>", "publish a signed checkpoint every N records (default 1000)")
    .option(
      "--origin <name>",
      "log name written into every checkpoint (default trailcheck.local/<out dir name>)",
    )
    .action(async (flags: SealFlags) => {
      process.exitCode = await runSeal(flags);
    });
}
