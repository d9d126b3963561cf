// Reopening a log that a writer left behind: what an interrupted atomic write leaves is cleared, and
// nothing else that does not belong is tolerated.
import { execFileSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempPath } from "../files/atomic-write.js";
import { FIXTURE_ORIGIN, fixtureRecord, reopenFixtureLog, sealedLogFixture } from "../testing/sealed-log.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { generateKeyPair, parsePrivateKey } from "./keys.js";
import { checkpointFile, leavesFile, WRITER_LOCK } from "./store-layout.js";
import { verifyLogDir } from "./verify-log.js";
import { SealedLogWriter } from "./writer.js";

cleanupAfterEach();

/** The writer of `dir` is killed: its process, and so its writer lock, gone. */
const killed = (dir: string) => rm(join(dir, WRITER_LOCK));
const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => fixtureRecord(from + i));
/** Reopens a fixture's log on a clock a second past its last checkpoint. */
const resumeOptions = (f: Awaited<ReturnType<typeof sealedLogFixture>>) => ({
  dir: f.dir,
  privateKey: f.privateKey,
  origin: FIXTURE_ORIGIN,
  checkpointEvery: 4,
  timer: false,
  clock: () => new Date(f.now.getTime() + 1000),
});

describe("SealedLogWriter resuming after a crash", () => {
  it("removes the temporary files of interrupted writes, then extends a log that verifies clean", async () => {
    const f = await sealedLogFixture({ records: records(0, 7), open: true });
    const checkpoint = (await readFile(join(f.dir, checkpointFile(2)), "utf8")).slice(0, 40);
    // A publish killed before its rename, and a leaf index rebuild killed the same way.
    const temps = [tempPath(join(f.dir, checkpointFile(3))), tempPath(join(f.dir, leavesFile(5)))];
    await writeFile(temps[0]!, checkpoint);
    await writeFile(temps[1]!, "0".repeat(64));
    const writer = await reopenFixtureLog(f);
    expect(writer.size).toBe(7);
    await writer.appendMany(records(7, 3));
    await writer.close();
    for (const temp of temps) await expect(readFile(temp)).rejects.toMatchObject({ code: "ENOENT" });
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(r.findings).toEqual([]);
    expect(r.stats).toEqual({ records: 10, segments: 2, checkpoints: 3 });
  });

  it("cuts a record a crash left unfinished, publishes the checkpoints the cadence owes, and verifies clean", async () => {
    // A writer killed in the middle of a step: six whole records past the newest checkpoint (every 4)
    // and part of a seventh, no checkpoint for any of them. Appending after the torn bytes glued the next
    // record to them, and the cadence restarted from the reopened size: the log failed for good.
    const f = await sealedLogFixture({ records: records(0, 4), open: true, segmentRecords: 100 });
    const segment = join(f.dir, "segments/000000000000.jsonl");
    await appendFile(segment, `${records(4, 6).join("\n")}\n${fixtureRecord(10).slice(0, 25)}`);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const writer = await SealedLogWriter.open({ ...resumeOptions(f), segmentRecords: 100 });
      expect(writer.size).toBe(10);
      await writer.append(fixtureRecord(11));
      await writer.close();
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([
      `${f.dir}: cut 25 byte(s) at the end of segments/000000000000.jsonl: a record a crash left unfinished, which no checkpoint covered`,
    ]);
    const lines = (await readFile(segment, "utf8")).split("\n");
    expect(lines.slice(-2)).toEqual([fixtureRecord(11), ""]);
    const r = await verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 5000) });
    expect(r.findings).toEqual([]);
    // #1 and #2 at 4 before the crash, #3 at 8 owed on reopen, #4 final at 11.
    expect(r.stats).toEqual({ records: 11, segments: 1, checkpoints: 4 });
  });

  it("keeps the log's own record cadence until its next checkpoint when reopened with a longer one", async () => {
    // seal --checkpoint-every 4, then seal again with the default 1000: the newest checkpoint promised
    // the next within 4 records, so a final checkpoint 6 records later broke that promise.
    const f = await sealedLogFixture({ records: records(0, 5), segmentRecords: 100 });
    const writer = await SealedLogWriter.open({ ...resumeOptions(f), checkpointEvery: 1000 });
    await writer.appendMany(records(5, 6));
    await writer.close();
    const r = await verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 5000) });
    expect(r.findings).toEqual([]);
  });

  it("never dates a checkpoint before the previous one when the clock is set back, so the log stays valid", async () => {
    // An NTP step back or a restored VM: a checkpoint dated before its predecessor is read as replayed
    // ("tampering found"), and a writer refuses to extend a log that fails so.
    const f = await sealedLogFixture({ records: records(0, 5), segmentRecords: 100 });
    const back = () => new Date(f.now.getTime() - 3_600_000);
    const writer = await SealedLogWriter.open({ ...resumeOptions(f), clock: back });
    await writer.appendMany(records(5, 6));
    await writer.close();
    const later = { now: new Date(f.now.getTime() + 5000) };
    expect((await verifyLogDir(f.dir, f.publicKey, later)).findings).toEqual([]);
    const again = await SealedLogWriter.open({ ...resumeOptions(f), clock: back });
    await again.append(fixtureRecord(11));
    await again.close();
    expect((await verifyLogDir(f.dir, f.publicKey, later)).findings).toEqual([]);
  });

  it("gives back the newline of a last record a checkpoint covers, so the next record does not join it", async () => {
    const f = await sealedLogFixture({ records: records(0, 3), segmentRecords: 100 });
    const segment = join(f.dir, "segments/000000000000.jsonl");
    const bytes = await readFile(segment);
    await writeFile(segment, bytes.subarray(0, -1));
    expect((await verifyLogDir(f.dir, f.publicKey, { now: f.now })).findings).toEqual([]);
    const writer = await SealedLogWriter.open({ ...resumeOptions(f), segmentRecords: 100 });
    await writer.append(fixtureRecord(3));
    await writer.close();
    expect(await readFile(segment, "utf8")).toBe(`${bytes.toString("utf8")}${fixtureRecord(3)}\n`);
    const r = await verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 5000) });
    expect(r.findings).toEqual([]);
    expect(r.stats.records).toBe(4);
  });

  it.each([
    ["a file of another name", "notes.txt"],
    ["a hidden file that is not a temporary one", ".00000003.checkpoint.old-0a1b2c"],
    ["a checkpoint name with a suffix", "00000003.checkpoint.tmp"],
  ])("still refuses a log with %s in checkpoints/, and leaves it there", async (_, name) => {
    const f = await sealedLogFixture({ records: records(0, 7), open: true });
    await writeFile(join(f.dir, "checkpoints", name), "planted");
    await expect(reopenFixtureLog(f)).rejects.toThrow(
      new RegExp(`^${f.dir}: refusing to extend this log, it fails verification \\(unexpected-file`),
    );
    expect(await readdir(join(f.dir, "checkpoints"))).toContain(name);
  });

  it("refuses a second writer while the first has the log open", async () => {
    // Two `seal --out` of one folder at once (or a seal into an exporter's live log) interleaved their
    // records, each signing trees without the other's: both said "sealed", verify said tampering found.
    const f = await sealedLogFixture({ records: records(0, 5), segmentRecords: 100 });
    const first = await reopenFixtureLog(f);
    await expect(reopenFixtureLog(f)).rejects.toThrow(`${f.dir}: it is open for writing by this process`);
    await first.appendMany(records(5, 2));
    await first.close();
    const second = await reopenFixtureLog(f);
    await second.append(fixtureRecord(7));
    await second.close();
    const r = await verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 5000) });
    expect(r.findings).toEqual([]);
    expect(r.stats.records).toBe(8);
  });

  it("refuses records that no checkpoint vouches for (killed before its first), naming the folder", async () => {
    const dir = await tempDir();
    const privateKey = parsePrivateKey(generateKeyPair().privatePem);
    const options = { dir, privateKey, origin: FIXTURE_ORIGIN, checkpointEvery: 100, timer: false };
    // Records on disk, the first checkpoint not yet due: what a writer killed at this point leaves.
    const first = await SealedLogWriter.open(options);
    await first.appendMany(records(0, 3));
    await killed(dir);
    expect(await readdir(join(dir, "checkpoints"))).toEqual([]);
    const segment = await readFile(join(dir, "segments/000000000000.jsonl"));
    await expect(SealedLogWriter.open(options)).rejects.toThrow(
      `${dir}: refusing to extend this log: it holds records in segments/ but no checkpoint in checkpoints/, so nothing vouches that they are as written`,
    );
    expect(await readFile(join(dir, "segments/000000000000.jsonl"))).toEqual(segment);
    expect(await readdir(join(dir, "checkpoints"))).toEqual([]);
  });

  it.each([
    ["an empty segment", ["segments/000000000000.jsonl"]],
    [
      "an empty segment and an empty leaf index",
      ["segments/000000000000.jsonl", "segments/000000000000.leaves"],
    ],
  ])("starts afresh over %s and no checkpoint (killed before its first write)", async (_, empty) => {
    const dir = await tempDir();
    const { privatePem, publicPem } = generateKeyPair();
    const options = { dir, privateKey: parsePrivateKey(privatePem), origin: FIXTURE_ORIGIN, timer: false };
    await mkdir(join(dir, "segments"), { recursive: true });
    await mkdir(join(dir, "checkpoints"));
    for (const file of empty) await writeFile(join(dir, file), "");
    const writer = await SealedLogWriter.open(options);
    expect(writer.size).toBe(0);
    await writer.appendMany(records(0, 3));
    await writer.close();
    const r = await verifyLogDir(dir, createPublicKey(publicPem));
    expect(r.findings).toEqual([]);
    expect(r.stats).toEqual({ records: 3, segments: 1, checkpoints: 1 });
  });

  it("still refuses records beside an empty segment when no checkpoint vouches for them", async () => {
    const dir = await tempDir();
    const privateKey = parsePrivateKey(generateKeyPair().privatePem);
    const options = { dir, privateKey, origin: FIXTURE_ORIGIN, checkpointEvery: 100, timer: false };
    const first = await SealedLogWriter.open({ ...options, segmentRecords: 2 });
    await first.appendMany(records(0, 2));
    await killed(dir);
    await writeFile(join(dir, "segments/000000000002.jsonl"), "");
    await expect(SealedLogWriter.open(options)).rejects.toThrow(
      /refusing to extend this log: it holds records/,
    );
    expect(await readdir(join(dir, "segments"))).toContain("000000000002.jsonl");
  });

  it("leaves a FIFO named as the first segment for verification to refuse, instead of removing it", async () => {
    const dir = await tempDir();
    const privateKey = parsePrivateKey(generateKeyPair().privatePem);
    await mkdir(join(dir, "segments"), { recursive: true });
    execFileSync("mkfifo", [join(dir, "segments/000000000000.jsonl")]);
    await expect(
      SealedLogWriter.open({ dir, privateKey, origin: FIXTURE_ORIGIN, timer: false }),
    ).rejects.toThrow(/is a FIFO/);
    expect(await readdir(join(dir, "segments"))).toEqual(["000000000000.jsonl"]);
  });
});
