import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLoggingConfig } from "../config/logging.js";
import { simulate } from "../pipeline/simulate.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { span } from "../testing/records.js";
import { generateKeyPair } from "./keys.js";
import { sealRecords, verifySealed } from "./seal-records.js";
import { verifyLogDir } from "./verify-log.js";
import { SealedLogWriter } from "./writer.js";

/**
 * Sizes real logs reach: two full segments of 100,000 records. Records are tiny so the test spends
 * its time where a large log does — one leaf hash and one index line per record — not on payloads.
 */
const RECORDS = 200_000;
const line = (i: number) => `{"i":${i}}`;
const root = resolve(import.meta.dirname, "../..");

let tmp: string;
let dir: string;
const pems = generateKeyPair();
const privateKey = createPrivateKey(pems.privatePem);
const publicKey = createPublicKey(pems.publicPem);
const open = () =>
  SealedLogWriter.open({
    dir,
    privateKey,
    origin: "trailcheck.test/scale",
    checkpointEvery: 50_000,
    heartbeatMs: 0,
  });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "trailcheck-scale-"));
  dir = join(tmp, "log");
  const writer = await open();
  await writer.appendMany(Array.from({ length: RECORDS }, (_, i) => line(i)));
  await writer.close();
}, 120_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe(`a sealed log of ${RECORDS} records`, { timeout: 120_000 }, () => {
  it("verifies, in process and through `trailcheck verify`", async () => {
    const result = await verifyLogDir(dir, publicKey);
    expect(result).toMatchObject({ valid: true, findings: [], stats: { records: RECORDS, segments: 2 } });
    await writeFile(join(tmp, "public.pem"), pems.publicPem);
    const cli = await execa("node", [...DEV_CLI, "verify", dir, "--key", join(tmp, "public.pem")], {
      cwd: root,
      reject: false,
    });
    expect(cli.stderr).toBe("");
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toContain(`${RECORDS} records in 2 segment(s)`);
  });

  it("holds a checkpoint at every 50,000 records, written in large steps, and a final one", async () => {
    const sizes = [];
    for (const file of (await readdir(join(dir, "checkpoints"))).sort()) {
      sizes.push(Number((await readFile(join(dir, "checkpoints", file), "utf8")).split("\n")[1]));
    }
    expect(sizes).toEqual([50_000, 100_000, 150_000, 200_000, 200_000]);
  });

  it("names one modified record among them", async () => {
    const seg = join(dir, "segments/000000100000.jsonl");
    const original = await readFile(seg, "utf8");
    try {
      await writeFile(seg, original.replace(`${line(150_000)}\n`, `${line(-1)}\n`));
      const result = await verifyLogDir(dir, publicKey);
      expect(result.findings).toMatchObject([{ kind: "modified-record", index: 150_000 }]);
    } finally {
      await writeFile(seg, original);
    }
  });

  it("can be reopened and extended by the writer", async () => {
    const writer = await open();
    expect(writer.size).toBe(RECORDS);
    await writer.append(line(RECORDS));
    await writer.close();
    expect((await verifyLogDir(dir, publicKey)).stats.records).toBe(RECORDS + 1);
  });
});

describe("sealing in the simulation at size", { timeout: 120_000 }, () => {
  it(`seals and verifies a merkle-checkpoints stream of ${RECORDS} records`, () => {
    const records = Array.from({ length: RECORDS }, (_, i) =>
      span({ id: i + 1, traceId: (Math.floor(i / 8) + 1).toString(16).padStart(32, "0"), name: "s" }),
    );
    const config = parseLoggingConfig(
      "streams: [{ name: all, match: { default: true }, integrity: merkle-checkpoints }]",
    );
    const view = simulate(records, config, { auditAfterNs: 0n });
    expect(view.streams[0]!.sealed).toMatchObject({ size: RECORDS, valid: true, findings: [] });
  });

  it("names a changed record among 200,000 sealed lines", () => {
    const lines = Array.from({ length: RECORDS }, (_, i) => line(i));
    const seal = sealRecords(lines);
    lines[123_456] = line(-1);
    expect(verifySealed(lines, seal).findings).toMatchObject([{ kind: "modified-record", index: 123_456 }]);
  });
});
