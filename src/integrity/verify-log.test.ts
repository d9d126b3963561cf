import { execFileSync } from "node:child_process";
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  editLines,
  FIXTURE_ORIGIN,
  fixtureRecord,
  listDir,
  reopenFixtureLog,
  sealedLogFixture,
} from "../testing/sealed-log.js";
import { cleanupAfterEach } from "../testing/temp-dirs.js";
import { generateKeyPair } from "./keys.js";
import { verifyLogDir } from "./verify-log.js";
import { SealedLogWriter } from "./writer.js";

cleanupAfterEach();
async function log(count: number, options: { open?: boolean } = {}) {
  const f = await sealedLogFixture({
    records: Array.from({ length: count }, (_, i) => fixtureRecord(i)),
    ...options,
  });
  return f;
}
const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);

/** A writer's options with a one-minute heartbeat and a clock the test moves (a second per reading). */
function heartbeatWriter(f: { privateKey: KeyObject }, dir: string) {
  let time = Date.parse("2025-01-01T00:00:00.000Z");
  const options = {
    dir,
    privateKey: f.privateKey,
    origin: FIXTURE_ORIGIN,
    heartbeatMs: 60_000,
    timer: false as const,
    clock: () => {
      time += 1000;
      return new Date(time);
    },
  };
  const clock = { advance: (ms: number) => (time += ms), now: () => new Date(time) };
  return { options, clock };
}

describe("verifyLogDir", () => {
  it("names the modified record, its file and index", async () => {
    const f = await log(12);
    await editLines(f.dir, "segments/000000000005.jsonl", (lines) =>
      lines.map((l, i) => (i === 2 ? l.replace("step", "stop") : l)),
    );
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(r.findings).toEqual([
      {
        kind: "modified-record",
        file: "segments/000000000005.jsonl",
        index: 7,
        message: "record 7 (segments/000000000005.jsonl line 3) was modified",
      },
    ]);
  });

  it("still catches a record edited together with its leaf index", async () => {
    const f = await log(12);
    const seg = "segments/000000000005.jsonl";
    await editLines(f.dir, seg, (lines) => lines.map((l, i) => (i === 0 ? l.replace("step", "stop") : l)));
    const { leafHash } = await import("./hash.js");
    const lines = (await readFile(join(f.dir, seg), "utf8")).split("\n").slice(0, -1);
    await writeFile(
      join(f.dir, seg.replace(".jsonl", ".leaves")),
      lines.map((l) => `${leafHash(Buffer.from(l)).toString("hex")}\n`).join(""),
    );
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(kinds(r)).toEqual(["modified-record"]);
    expect(r.findings[0]!.message).toMatch(/do not match signed checkpoint #2/);
  });

  it("reports an edited leaf index as such when the records still match the roots", async () => {
    const f = await log(8);
    const file = join(f.dir, "segments/000000000000.leaves");
    const text = await readFile(file, "utf8");
    await writeFile(
      file,
      text.replace(/^./, (c) => (c === "0" ? "1" : "0")),
    );
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(kinds(r)).toEqual(["modified-index"]);
  });

  it("flags files that no checkpoint covers", async () => {
    const f = await log(3);
    await writeFile(join(f.dir, "segments/notes.txt"), "hello");
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(r.findings).toMatchObject([{ kind: "unexpected-file", file: "segments/notes.txt" }]);
  });

  it("reports deleted checkpoints as one finding per run of numbers, however high the number", async () => {
    const f = await log(12);
    const cps = await listDir(f.dir, "checkpoints");
    await rm(join(f.dir, cps[1]!));
    // A copy of the first checkpoint under the highest number the layout allows: a run of 99,999,995.
    await writeFile(join(f.dir, "checkpoints/99999999.checkpoint"), await readFile(join(f.dir, cps[0]!)));
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(r.findings.filter((x) => x.message.endsWith("deleted"))).toEqual([
      {
        kind: "missing-checkpoint",
        file: "checkpoints/00000002.checkpoint",
        message: "checkpoint #2 was deleted",
      },
      {
        kind: "missing-checkpoint",
        file: "checkpoints/00000005.checkpoint",
        message: "checkpoints #5–#99999998 were deleted",
      },
    ]);
    expect(kinds(r)).toContain("replayed-checkpoint");
  });

  it.each([
    ["checkpoints/00000009.checkpoint", "a checkpoint of the log"],
    ["segments/000000000099.jsonl", "a segment of the log"],
  ])("refuses a FIFO named %s at once, as bad input, instead of waiting on it", async (name, what) => {
    const f = await log(3);
    execFileSync("mkfifo", [join(f.dir, name)]);
    await expect(verifyLogDir(f.dir, f.publicKey, { now: f.now })).rejects.toMatchObject({
      code: "not-a-file",
      message: expect.stringContaining(`${what} is a FIFO`),
    });
  });

  it("flags a missed heartbeat from the signed cadence", async () => {
    const f = await log(3);
    // Re-seal the same records with a clock that stalls for ten minutes between two checkpoints.
    const { options, clock } = heartbeatWriter(f, `${f.dir}-gap`);
    const dir = options.dir;
    const writer = await SealedLogWriter.open(options);
    await writer.append(fixtureRecord(0));
    await writer.checkpoint();
    clock.advance(600_000);
    await writer.close();
    const r = await verifyLogDir(dir, f.publicKey, { now: clock.now() });
    await rm(dir, { recursive: true });
    expect(kinds(r)).toEqual(["missing-heartbeat"]);
    expect(r.findings[0]!.message).toMatch(
      /601000 ms after checkpoint #1; the signed cadence promises one every 60000 ms/,
    );
  });

  it("owes no heartbeat while a log is closed: reopened an hour after its final checkpoint, it verifies", async () => {
    // A final checkpoint says no later checkpoint is due (checkpoint.ts); an agent whose exporter closed
    // the log and that starts again an hour later has missed no heartbeat. Between checkpoints that are
    // not final the cadence still holds (the test above).
    const f = await log(3);
    const { options, clock } = heartbeatWriter(f, `${f.dir}-reopened`);
    const dir = options.dir;
    const first = await SealedLogWriter.open(options);
    await first.appendMany([fixtureRecord(0), fixtureRecord(1)]);
    await first.close();
    clock.advance(3_600_000);
    const second = await SealedLogWriter.open(options);
    await second.append(fixtureRecord(2));
    await second.close();
    const r = await verifyLogDir(dir, f.publicKey, { now: clock.now() });
    await rm(dir, { recursive: true });
    expect(r.findings).toEqual([]);
    expect(r.stats).toEqual({ records: 3, segments: 1, checkpoints: 2 });
  });

  it("calls an open log stale once a heartbeat is overdue, and fresh before", async () => {
    const f = await log(3, { open: true });
    expect((await verifyLogDir(f.dir, f.publicKey, { now: f.now })).valid).toBe(true);
    const later = await verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 121_000) });
    expect(kinds(later)).toEqual(["stale-checkpoint"]);
  });

  it("reports a wrong key on every checkpoint", async () => {
    const f = await log(3);
    const r = await verifyLogDir(f.dir, createPublicKey(generateKeyPair().publicPem), { now: f.now });
    expect(new Set(kinds(r))).toEqual(new Set(["bad-signature", "no-checkpoint", "uncovered-records"]));
  });

  it("detects a cut tail only with a trusted checkpoint kept outside the store", async () => {
    const f = await log(10);
    const cps = await listDir(f.dir, "checkpoints");
    const trustedText = await readFile(join(f.dir, cps[cps.length - 1]!), "utf8");
    // The attacker removes the last records, their index entries and every checkpoint that covered them.
    await editLines(f.dir, "segments/000000000005.jsonl", (lines) => lines.slice(0, 3));
    const leaves = join(f.dir, "segments/000000000005.leaves");
    await writeFile(leaves, `${(await readFile(leaves, "utf8")).split("\n").slice(0, 3).join("\n")}\n`);
    for (const cp of cps.slice(2)) await rm(join(f.dir, cp));
    expect((await verifyLogDir(f.dir, f.publicKey, { now: f.now })).valid).toBe(true);
    const trusted = { text: trustedText, file: "trusted.checkpoint" };
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now, trusted });
    expect(kinds(r)).toEqual(["truncated-tail"]);
    expect(r.findings[0]!.message).toMatch(/covers 10 records.*covers 8 and it holds 8/);
  });

  it("accepts a store that extends the trusted checkpoint (RFC 9162 consistency)", async () => {
    const f = await log(10, { open: true });
    const cps = await listDir(f.dir, "checkpoints");
    const trusted = { text: await readFile(join(f.dir, cps[0]!), "utf8"), file: "t" };
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now, trusted });
    expect(r.findings).toEqual([]);
  });

  it("rejects a fork: same key and origin, different history", async () => {
    const a = await log(6);
    const forkDir = `${a.dir}-fork`;
    const writer = await SealedLogWriter.open({
      dir: forkDir,
      privateKey: a.privateKey,
      origin: FIXTURE_ORIGIN,
      checkpointEvery: 4,
      timer: false,
      clock: () => new Date(a.now.getTime() + 5000),
    });
    await writer.appendMany([
      fixtureRecord(100),
      ...Array.from({ length: 9 }, (_, i) => fixtureRecord(i + 1)),
    ]);
    await writer.close();
    const cps = await listDir(a.dir, "checkpoints");
    const trusted = { text: await readFile(join(a.dir, cps[cps.length - 1]!), "utf8"), file: "t" };
    const r = await verifyLogDir(forkDir, a.publicKey, { now: a.now, trusted });
    await rm(forkDir, { recursive: true });
    expect(kinds(r)).toContain("inconsistent-checkpoint");
  });
});

describe("SealedLogWriter", () => {
  it("resumes a log, continuing segments and the checkpoint sequence", async () => {
    const f = await log(7, { open: true });
    const writer = await reopenFixtureLog(f);
    expect(writer.size).toBe(7);
    await writer.appendMany([fixtureRecord(7), fixtureRecord(8)]);
    const last = await writer.close();
    expect(last).toMatch(/checkpoints\/00000003\.checkpoint$/);
    const r = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(r.findings).toEqual([]);
    expect(r.stats).toEqual({ records: 9, segments: 2, checkpoints: 3 });
  });

  it("has a record on disk when append resolves, reported uncovered until a checkpoint seals it", async () => {
    const f = await log(2, { open: true });
    const writer = await SealedLogWriter.open({
      dir: f.dir,
      privateKey: f.privateKey,
      origin: FIXTURE_ORIGIN,
      checkpointEvery: 100,
      timer: false,
      clock: () => f.now,
    });
    await writer.append(fixtureRecord(2));
    expect(await readFile(join(f.dir, "segments/000000000000.jsonl"), "utf8")).toContain(fixtureRecord(2));
    const before = await verifyLogDir(f.dir, f.publicKey, { now: f.now });
    expect(before.findings).toMatchObject([{ kind: "uncovered-records", index: 2 }]);
    await writer.checkpoint();
    expect((await verifyLogDir(f.dir, f.publicKey, { now: f.now })).findings).toEqual([]);
  });

  it("refuses to extend a log under another origin", async () => {
    const f = await log(3);
    await expect(
      SealedLogWriter.open({
        dir: f.dir,
        privateKey: f.privateKey,
        origin: "other.example/log",
        timer: false,
      }),
    ).rejects.toThrow(/is the log trailcheck\.test\/audit-log; it cannot be extended as other\.example\/log/);
  });

  it("refuses to extend a log that was tampered with while it was down", async () => {
    const f = await log(6, { open: true });
    await editLines(f.dir, "segments/000000000000.jsonl", (lines) => lines.reverse());
    await expect(
      SealedLogWriter.open({ dir: f.dir, privateKey: f.privateKey, origin: FIXTURE_ORIGIN, timer: false }),
    ).rejects.toThrow(/refusing to extend .* reordered-records/);
  });

  it("publishes heartbeats from its timer", async () => {
    const f = await log(0, { open: true });
    await rm(f.dir, { recursive: true });
    // A fresh log on the real clock (the fixture's clock is fake).
    const writer = await SealedLogWriter.open({
      dir: f.dir,
      privateKey: f.privateKey,
      origin: FIXTURE_ORIGIN,
      heartbeatMs: 30,
    });
    await new Promise((r) => setTimeout(r, 200));
    await writer.close();
    expect((await listDir(f.dir, "checkpoints")).length).toBeGreaterThanOrEqual(4);
    // A loaded CI machine may fire a 30 ms timer late; everything else must hold.
    const r = await verifyLogDir(f.dir, f.publicKey);
    expect(r.findings.filter((x) => x.kind !== "missing-heartbeat")).toEqual([]);
  });
});
