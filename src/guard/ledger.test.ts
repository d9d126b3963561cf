import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFile, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempPath } from "../files/atomic-write.js";
import { leafDigest } from "../integrity/hash.js";
import { generateKeyPair, parsePublicKey } from "../integrity/keys.js";
import { WRITER_LOCK } from "../integrity/store-layout.js";
import { verifyLogDir } from "../integrity/verify-log.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { argumentsSha256, sha256Hex } from "./digest.js";
import { guardCall } from "./guard-call.js";
import { openLedger } from "./open-ledger.js";
import { readLedger } from "./read-ledger.js";
import type { LedgerRecovered, ToolCallStart } from "./records.js";

cleanupAfterEach();

const AT = "2025-01-01T00:00:00.000Z";
const start = (callId: string, args: unknown = { orderId: "A-1001" }): ToolCallStart => ({
  type: "tool-call.start",
  toolName: "lookup_order",
  callId,
  arguments: args,
  at: AT,
});
const SEGMENT = "segments/000000000000.jsonl";
const ROOT = resolve(import.meta.dirname, "../..");
const CRASH_AGENT = join(import.meta.dirname, "testdata", "crash-agent.ts");
const lines = async (dir: string) => (await readFile(join(dir, SEGMENT), "utf8")).split("\n").slice(0, -1);

describe("openLedger", () => {
  it("writes records in the sealed-log layout, readable and valid without a key", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    await ledger.append(start("call_1"));
    await ledger.append({
      type: "tool-call.end",
      toolName: "lookup_order",
      callId: "call_1",
      outcome: "ok",
      resultSha256: "a".repeat(64),
      at: AT,
    });
    expect(ledger.size).toBe(2);
    await ledger.close();
    const reading = await readLedger(dir);
    expect(reading).toMatchObject({
      version: 1,
      valid: true,
      signed: false,
      checked: "structure",
      findings: [],
    });
    expect(reading.records.map((r) => r.type)).toEqual(["tool-call.start", "tool-call.end"]);
    await expect(ledger.append(start("call_2"))).rejects.toThrow(/is closed/);
  });

  it("signs checkpoints with a key, at the promised cadence, and `verify` accepts the ledger", async () => {
    const dir = await tempDir();
    const pair = generateKeyPair();
    const ledger = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 3, sync: "batch" });
    await Promise.all(Array.from({ length: 10 }, (_, i) => ledger.append(start(`call_${i}`))));
    await ledger.close();
    const publicKey = parsePublicKey(pair.publicPem);
    const verified = await verifyLogDir(dir, publicKey);
    expect(verified.findings).toEqual([]);
    // Opening, every 3 records (3, 6, 9), final.
    expect(verified.stats).toEqual({ records: 10, segments: 1, checkpoints: 5 });
    const reading = await readLedger(dir, { publicKey });
    expect(reading).toMatchObject({ valid: true, signed: true, checked: "signatures" });
  });

  it("continues a ledger on reopen, across segments", async () => {
    const dir = await tempDir();
    const first = await openLedger({ dir, segmentRecords: 4 });
    for (let i = 0; i < 6; i++) await first.append(start(`call_${i}`));
    await first.close();
    const second = await openLedger({ dir, segmentRecords: 4 });
    expect(second.size).toBe(6);
    for (let i = 6; i < 9; i++) await second.append(start(`call_${i}`));
    await second.close();
    const reading = await readLedger(dir);
    expect(reading.valid).toBe(true);
    expect(reading.stats).toEqual({ records: 9, segments: 3, checkpoints: 0 });
    expect(reading.records.map((r) => ("callId" in r ? r.callId : ""))).toEqual(
      Array.from({ length: 9 }, (_, i) => `call_${i}`),
    );
  });

  it("detects a torn last record, then cuts it on reopen, reports it and records the repair", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    await ledger.append(start("call_1"));
    await ledger.close();
    const torn = '{"type":"tool-call.start","toolName":"refund_pay';
    await appendFile(join(dir, SEGMENT), torn);

    const before = await readLedger(dir);
    expect(before.valid).toBe(false);
    expect(before.findings).toMatchObject([{ kind: "torn-record", file: SEGMENT, index: 1 }]);
    expect(before.findings[0]!.message).toMatch(/has no line end: 48 byte\(s\)/);

    const reported: LedgerRecovered[] = [];
    const reopened = await openLedger({ dir, onRecovered: (r) => reported.push(r) });
    expect(reopened.recovered).toMatchObject({
      type: "ledger.recovered",
      file: SEGMENT,
      torn: { bytes: 48 },
    });
    expect(reported).toEqual([reopened.recovered]);
    await reopened.append(start("call_2"));
    await reopened.close();
    const after = await readLedger(dir);
    expect(after.findings).toEqual([]);
    expect(after.records.map((r) => r.type)).toEqual([
      "tool-call.start",
      "ledger.recovered",
      "tool-call.start",
    ]);
    expect(await lines(dir)).not.toContain(torn);
  });

  it("rebuilds a leaf index that lags its records (a crash between the two writes)", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    await ledger.append(start("call_1"));
    await ledger.append(start("call_2"));
    await ledger.close();
    await truncate(join(dir, "segments/000000000000.leaves"), 65 + 30);
    expect((await readLedger(dir)).findings).toEqual([]);
    const reopened = await openLedger({ dir });
    expect(reopened.recovered).toBeUndefined();
    await reopened.close();
    expect((await readFile(join(dir, "segments/000000000000.leaves"), "latin1")).split("\n")).toHaveLength(3);
  });

  it("clears what interrupted atomic writes left in checkpoints/ and segments/ before it reopens", async () => {
    const dir = await tempDir();
    const pair = generateKeyPair();
    const first = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 2, sync: "batch" });
    for (let i = 0; i < 3; i++) await first.append(start(`call_${i}`));
    // Closed, so that no checkpoint of the first writer is still being published (under load its
    // atomic write landed while the second writer was open, and its temporary file was seen below).
    await first.close();
    const temps = [
      tempPath(join(dir, "checkpoints/00000009.checkpoint")),
      tempPath(join(dir, "segments/000000000000.leaves")),
    ];
    for (const temp of temps) await writeFile(temp, "half");
    const second = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 2, sync: "batch" });
    await second.append(start("call_3"));
    await second.close();
    const names = [...(await readdir(join(dir, "checkpoints"))), ...(await readdir(join(dir, "segments")))];
    expect(names.filter((n) => n.startsWith("."))).toEqual([]);
    expect((await verifyLogDir(dir, parsePublicKey(pair.publicPem))).findings).toEqual([]);
  });

  it("refuses to extend a ledger whose records were changed, naming the record", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    for (let i = 0; i < 3; i++) await ledger.append(start(`call_${i}`));
    await ledger.close();
    const edited = (await lines(dir)).map((l) => l.replace("call_1", "call_X"));
    await writeFile(join(dir, SEGMENT), `${edited.join("\n")}\n`);
    expect((await readLedger(dir)).findings).toMatchObject([{ kind: "modified-record", index: 1 }]);
    await expect(openLedger({ dir })).rejects.toThrow(/refusing to extend the ledger .*\(modified-record/);
  });

  it("refuses a damaged record in the middle, which no crash produces", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    for (let i = 0; i < 3; i++) await ledger.append(start(`call_${i}`));
    await ledger.close();
    const damaged = await lines(dir);
    damaged[1] = damaged[1]!.slice(0, 20);
    await writeFile(join(dir, SEGMENT), `${damaged.join("\n")}\n`);
    const reading = await readLedger(dir);
    expect(reading.findings.map((f) => f.kind)).toContain("malformed-record");
    await expect(openLedger({ dir })).rejects.toThrow(/malformed-record/);
  });

  it("refuses to open a signed ledger without its key", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir, key: generateKeyPair().privatePem });
    await ledger.close();
    await expect(openLedger({ dir })).rejects.toThrow(/is a signed ledger .* open it with its key/);
  });

  it("reopens a signed ledger after a crash left records past its newest checkpoint", async () => {
    const dir = await tempDir();
    const pair = generateKeyPair();
    const ledger = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 100 });
    for (let i = 0; i < 5; i++) await ledger.append(start(`call_${i}`));
    // No close: the process "died" with 5 records no checkpoint covers yet, one of them torn. Its
    // writer lock goes with it (a dead process's lock is taken over: crash.test.ts).
    await appendFile(join(dir, SEGMENT), '{"type":"tool-ca');
    await rm(join(dir, WRITER_LOCK));
    const publicKey = parsePublicKey(pair.publicPem);
    const crashed = await readLedger(dir, { publicKey });
    expect(crashed.findings.map((f) => f.kind).sort()).toEqual([
      "stale-checkpoint",
      "torn-record",
      "uncovered-records",
    ]);
    const reopened = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 100 });
    await reopened.close();
    const after = await readLedger(dir, { publicKey });
    expect(after.findings).toEqual([]);
    expect(after.records).toHaveLength(6);
  });

  it("refuses to reopen a closed signed ledger with a record added after its final checkpoint", async () => {
    // close() publishes the final checkpoint after the last record is synced: a record after it is no
    // crash's tail. Someone without the key added it (its leaf too); reopening must not sign it.
    const dir = await tempDir();
    const pair = generateKeyPair();
    const ledger = await openLedger({ dir, key: pair.privatePem, checkpointEvery: 100 });
    for (let i = 0; i < 3; i++) await ledger.append(start(`call_${i}`));
    await ledger.close();
    const forged = JSON.stringify(start("call_forged"));
    await appendFile(join(dir, SEGMENT), `${forged}\n`);
    await appendFile(join(dir, "segments/000000000000.leaves"), `${leafDigest(Buffer.from(forged))}\n`);
    const before = await readFile(join(dir, SEGMENT));
    await expect(openLedger({ dir, key: pair.privatePem, checkpointEvery: 100 })).rejects.toThrow(
      /refusing to extend the ledger .*: records 3–3 follow final checkpoint #2/,
    );
    expect(await readFile(join(dir, SEGMENT))).toEqual(before);
    const reading = await readLedger(dir, { publicKey: parsePublicKey(pair.publicPem) });
    expect(reading.valid).toBe(false);
  });

  it("refuses a second writer while the first is open, in this process or another, and resumes once it is gone", async () => {
    // Two writers interleave records neither hashes with the other's: the ledger then fails
    // verification, and every later openLedger refuses it (each guarded call blocked for good).
    const dir = await tempDir();
    const pair = generateKeyPair();
    const keyFile = join(dir, "..", `${dir.split("/").at(-1)}.pem`);
    await writeFile(keyFile, pair.privatePem);
    const options = { dir, key: pair.privatePem, checkpointEvery: 7 };
    const mine = await openLedger(options);
    await expect(openLedger(options)).rejects.toThrow(
      /is open for writing by this process .*one writer at a time/,
    );
    await mine.append(start("call_mine"));
    await mine.close();

    const agent = spawn(process.execPath, [join(ROOT, "bin/run-ts.js"), CRASH_AGENT], {
      env: { ...process.env, LEDGER_DIR: dir, EFFECTS_FILE: "/dev/null", LEDGER_KEY: keyFile },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = once(agent, "exit");
    await new Promise<void>((ready) =>
      agent.stdout.on("data", (d: Buffer) => d.includes("ready") && ready()),
    );
    await expect(openLedger(options)).rejects.toThrow(
      new RegExp(`is open for writing by process ${agent.pid} .*one writer at a time`),
    );
    agent.kill("SIGKILL");
    await exited;
    const resumed = await openLedger(options);
    await resumed.append(start("call_after"));
    await resumed.close();
    const reading = await readLedger(dir, { publicKey: parsePublicKey(pair.publicPem) });
    expect(reading.findings).toEqual([]);
    // The agent may be killed before its first call (a loaded machine): only these two are certain.
    const started = reading.records.flatMap((r) => (r.type === "tool-call.start" ? [r.callId] : []));
    expect([started[0], started.at(-1)]).toEqual(["call_mine", "call_after"]);
  });

  it("never dates a checkpoint before the previous one when the clock is set back, within a run or across a reopen", async () => {
    // A checkpoint dated before its predecessor reads as replayed ("tampering found"), and a ledger
    // that fails verification refuses to reopen: an NTP step back blocked every guarded call for good.
    const dir = await tempDir();
    const pair = generateKeyPair();
    let now = Date.parse(AT);
    const options = { dir, key: pair.privatePem, checkpointEvery: 2, clock: () => new Date(now) };
    const ledger = await openLedger(options);
    await ledger.append(start("call_0"));
    await ledger.append(start("call_1"));
    now -= 3_600_000;
    await ledger.append(start("call_2"));
    await ledger.append(start("call_3"));
    await ledger.close();
    now -= 3_600_000;
    const reopened = await openLedger(options);
    await reopened.append(start("call_4"));
    await reopened.close();
    const reading = await readLedger(dir, { publicKey: parsePublicKey(pair.publicPem), now: new Date(AT) });
    expect(reading.findings).toEqual([]);
    expect(reading.stats.checkpoints).toBeGreaterThan(4);
  });

  it("keeps one record per concurrent append, in one piece", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    await Promise.all(Array.from({ length: 200 }, (_, i) => ledger.append(start(`call_${i}`, { i }))));
    await ledger.close();
    const reading = await readLedger(dir);
    expect(reading.valid).toBe(true);
    const ids = reading.records.map((r) => ("callId" in r ? r.callId : ""));
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
  });
});

describe("argument redaction", () => {
  it("hashes the arguments of the tools `redact` names, keeping the others", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir, redact: ["refund_payment"] });
    await ledger.append(start("call_1"));
    await ledger.append({ ...start("call_2", { amount: 40, card: "4111" }), toolName: "refund_payment" });
    await ledger.close();
    const [kept, hashed] = (await readLedger(dir)).records;
    expect(kept).toMatchObject({ arguments: { orderId: "A-1001" } });
    expect(hashed).not.toHaveProperty("arguments");
    expect(hashed).toMatchObject({ argumentsSha256: argumentsSha256('{"card":"4111","amount":40}') });
    expect(await readFile(join(dir, SEGMENT), "utf8")).not.toContain("4111");
  });

  it("hashes the error a redacted call ends with, which often repeats its arguments, and only that one", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir, redact: ["pay"] });
    await guardCall(ledger, { toolName: "pay", arguments: { card: "4111111111111111" } }, () => {
      throw new Error("card 4111111111111111 declined");
    }).catch(() => {});
    await guardCall(ledger, { toolName: "lookup", arguments: { order: "A-1" } }, () => {
      throw new Error("order A-1 not found");
    }).catch(() => {});
    await ledger.close();
    expect(await readFile(join(dir, SEGMENT), "utf8")).not.toContain("4111111111111111");
    const ends = (await readLedger(dir)).records.filter((r) => r.type === "tool-call.end");
    expect(ends).toEqual([
      expect.objectContaining({
        toolName: "pay",
        outcome: "error",
        errorSha256: sha256Hex("card 4111111111111111 declined"),
      }),
      expect.objectContaining({ toolName: "lookup", outcome: "error", error: "order A-1 not found" }),
    ]);
    expect(ends[0]).not.toHaveProperty("error");
  });

  it("hashes arguments where the profile accepts them hashed, unless `redact` says otherwise", async () => {
    const dir = await tempDir();
    const byProfile = await openLedger({ dir, profile: "eu-ai-act" });
    expect(byProfile.recordArguments("t", { a: 1 })).toEqual({ argumentsSha256: argumentsSha256({ a: 1 }) });
    await byProfile.close();
    const overridden = await openLedger({ dir, profile: "eu-ai-act", redact: false });
    expect(overridden.recordArguments("t", { a: 1 })).toEqual({ arguments: { a: 1 } });
    await overridden.close();
    const strict = await openLedger({ dir, profile: "sec-17a-4" });
    expect(strict.recordArguments("t", { a: 1 })).toEqual({ arguments: { a: 1 } });
    await strict.close();
    await expect(openLedger({ dir, profile: "nope" })).rejects.toThrow(/unknown profile 'nope'/);
  });
});
