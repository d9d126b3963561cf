import { createHash } from "node:crypto";
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CLI } from "../testing/dev-cli.js";
import { fixtureRecord } from "../testing/sealed-log.js";
import { parsePrivateKey } from "./keys.js";
import { readRecordsForSealing } from "./read-records-for-sealing.js";
import { WRITER_LOCK } from "./store-layout.js";
import { SealedLogWriter } from "./writer.js";

const root = resolve(import.meta.dirname, "../..");
const cli = (...args: string[]) => execa("node", [...DEV_CLI, ...args], { cwd: root, reject: false });

let tmp: string;
let keys: string;
let log: string;
let newest: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "trailcheck-cli-"));
  keys = join(tmp, "keys");
  log = join(tmp, "log");
  expect((await cli("keygen", "--out", keys)).exitCode).toBe(0);
  const input = join(tmp, "records.jsonl");
  await writeFile(input, Array.from({ length: 30 }, (_, i) => `${fixtureRecord(i)}\n`).join(""));
  const sealed = await cli(
    "seal",
    "--in",
    input,
    "--out",
    log,
    "--key",
    join(keys, "private.pem"),
    "--checkpoint-every",
    "8",
  );
  expect(sealed.exitCode, sealed.stderr).toBe(0);
  newest = sealed.stdout.trim().split("\n").at(-1)!;
  expect(newest).toMatch(/checkpoints[/\\]00000004\.checkpoint$/);
}, 180_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("trailcheck verify (CLI)", { timeout: 180_000 }, () => {
  it("names the log a valid verdict is for: one key can sign several logs", async () => {
    const other = join(tmp, "other-log");
    const input = join(tmp, "other.jsonl");
    await writeFile(input, `${fixtureRecord(300)}\n`);
    const key = join(keys, "private.pem");
    expect((await cli("seal", "--in", input, "--out", other, "--key", key)).exitCode).toBe(0);
    // Swapped whole for another log of the same key, the folder verifies: only the name tells.
    const r = await cli("verify", other, "--key", join(keys, "public.pem"));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      "✓ valid: log trailcheck.local/other-log: 1 records in 1 segment(s), 1 signed checkpoint(s)",
    );
    const mine = await cli("verify", log, "--key", join(keys, "public.pem"));
    expect(mine.stdout).toMatch(/^✓ valid: log trailcheck\.local\/log: 30 records/);
    // --origin makes the name a check: the swapped folder fails, the right one passes.
    const pinned = (dir: string) =>
      cli("verify", dir, "--key", join(keys, "public.pem"), "--origin", "trailcheck.local/log");
    const swapped = await pinned(other);
    expect(swapped.exitCode, swapped.stdout).toBe(1);
    expect(swapped.stdout).toContain(
      "✗ inconsistent-checkpoint: the checkpoints are of log trailcheck.local/other-log, not of trailcheck.local/log",
    );
    expect((await pinned(log)).exitCode).toBe(0);
  });

  it("exits 0 on a clean log and prints the JSON contract", async () => {
    const r = await cli("verify", log, "--key", join(keys, "public.pem"), "--format", "json");
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: 1, valid: true, findings: [] });
  });

  it("names a truncated tail against a trusted checkpoint; alone, the store can only look stale", async () => {
    const cut = join(tmp, "cut");
    await cp(log, cut, { recursive: true });
    const trusted = join(tmp, "trusted.checkpoint");
    await writeFile(trusted, await readFile(newest));
    // Keep the first 16 records and the two checkpoints that cover exactly them: a clean-looking older log.
    const seg = join(cut, "segments/000000000000.jsonl");
    const leaves = join(cut, "segments/000000000000.leaves");
    const keep = async (file: string) =>
      writeFile(file, `${(await readFile(file, "utf8")).split("\n").slice(0, 16).join("\n")}\n`);
    await keep(seg);
    await keep(leaves);
    await rm(join(cut, "checkpoints/00000003.checkpoint"));
    await rm(join(cut, "checkpoints/00000004.checkpoint"));
    const pub = join(keys, "public.pem");
    // Without the trusted checkpoint only staleness can speak: sealed logs have no heartbeat, and #2 is not final.
    const alone = await cli("verify", cut, "--key", pub, "--format", "json");
    expect(JSON.parse(alone.stdout).findings.map((f: { kind: string }) => f.kind)).toEqual([
      "stale-checkpoint",
    ]);
    const r = await cli("verify", cut, "--key", pub, "--trusted-checkpoint", trusted, "--format", "json");
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.findings).toContainEqual(
      expect.objectContaining({
        kind: "truncated-tail",
        message: expect.stringMatching(/covers 30 records.*covers 16/),
      }),
    );
  });

  it("exits 2 with a message, not a stack, on bad input", async () => {
    const r = await cli("verify", log, "--key", join(tmp, "missing.pem"));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/missing\.pem: cannot read the public key/);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    const bad = await cli(
      "seal",
      "--in",
      join(tmp, "nope.jsonl"),
      "--out",
      join(tmp, "x"),
      "--key",
      join(keys, "private.pem"),
    );
    expect(bad.exitCode).toBe(2);
    const two = join(tmp, "two.pem");
    const other = join(tmp, "other-keys");
    expect((await cli("keygen", "--out", other)).exitCode).toBe(0);
    const pems = await Promise.all(
      [join(other, "public.pem"), join(keys, "public.pem")].map((f) => readFile(f)),
    );
    await writeFile(two, Buffer.concat(pems));
    const twoKeys = await cli("verify", log, "--key", two);
    expect(twoKeys.exitCode, twoKeys.stdout).toBe(2);
    expect(twoKeys.stderr).toMatch(/two\.pem: it holds 2 PEM blocks; a key file holds one key/);
  });

  it("refuses, as bad input, to extend records that no checkpoint vouches for", async () => {
    // What a writer killed before its first checkpoint leaves: records, and no checkpoint at all.
    const unsealed = join(tmp, "unsealed");
    await cp(join(log, "segments"), join(unsealed, "segments"), { recursive: true });
    const input = join(tmp, "more.jsonl");
    await writeFile(input, `${fixtureRecord(100)}\n`);
    const before = await snapshot(unsealed);
    const r = await cli("seal", "--in", input, "--out", unsealed, "--key", join(keys, "private.pem"));
    expect(r.exitCode).toBe(2);
    // The folder is named once, at the start of the line.
    expect(r.stderr).toContain(
      `trailcheck: ${unsealed}: refusing to extend this log: it holds records in segments/ but no checkpoint`,
    );
    expect(r.stderr.split(unsealed)).toHaveLength(2);
    expect(r.stderr).toMatch(/nothing vouches that they are as written/);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(await snapshot(unsealed)).toEqual(before);
  });

  it("refuses to start a log in a folder of other files, and leaves the folder as it was", async () => {
    // The log made there failed verification at once (unexpected-file for each of the folder's files).
    const folder = join(tmp, "project");
    await cp(join(root, "examples/logging"), folder, { recursive: true });
    const input = join(tmp, "one.jsonl");
    await writeFile(input, `${fixtureRecord(0)}\n`);
    const before = await snapshot(folder);
    const r = await cli("seal", "--in", input, "--out", folder, "--key", join(keys, "private.pem"));
    expect(r.exitCode, r.stdout).toBe(2);
    expect(r.stderr).toMatch(
      /: it holds files that are not part of a sealed log \(.*\); a new log needs a new or empty folder$/m,
    );
    expect(await snapshot(folder)).toEqual(before);
    expect(await readdir(folder)).not.toContain("segments");
  });

  it("run again after an interruption, seals each record of the file once; another file into a log left open is refused", async () => {
    // The log `log` (30 records, closed) extended by a seal of `more` that was killed after 5 of its 9
    // records and two checkpoints: the same command again sealed all 9 once more.
    const resumed = join(tmp, "resumed");
    await cp(log, resumed, { recursive: true });
    const more = Array.from({ length: 9 }, (_, i) => fixtureRecord(300 + i));
    const input = join(tmp, "interrupted.jsonl");
    await writeFile(input, more.map((r) => `${r}\n`).join(""));
    const key = join(keys, "private.pem");
    const killed = await SealedLogWriter.open({
      dir: resumed,
      privateKey: parsePrivateKey(await readFile(key, "utf8")),
      origin: "trailcheck.local/log",
      checkpointEvery: 2,
      heartbeatMs: 0,
    });
    const sealedForm = await readRecordsForSealing(input);
    await killed.appendMany(sealedForm.slice(0, 5)); // no close: killed here, its lock gone with it
    await rm(join(resumed, WRITER_LOCK));
    const other = join(tmp, "other.jsonl");
    await writeFile(other, `${more[0]}\n${fixtureRecord(999)}\n`);
    const before = await snapshot(resumed);
    const sealInto = (file: string) =>
      cli("seal", "--in", file, "--out", resumed, "--key", key, "--origin", "trailcheck.local/log");
    const refused = await sealInto(other);
    expect(refused.exitCode, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(
      /it was left open .* records 30–34 .* are not the start of .*other\.jsonl/,
    );
    expect(await snapshot(resumed)).toEqual(before);

    const again = await sealInto(input);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^sealed 4 records .*; its first 5, sealed by an interrupted run, were not sealed again\)$/m,
    );
    const lines = (await readFile(join(resumed, "segments/000000000000.jsonl"), "utf8")).split("\n");
    expect(lines.slice(30, -1)).toEqual(sealedForm);
    const verified = await cli("verify", resumed, "--key", join(keys, "public.pem"));
    expect(verified.exitCode, verified.stdout).toBe(0);
  });

  it("refuses to extend a closed log with a record added after its final checkpoint, instead of signing it", async () => {
    // seal closes the log with a final checkpoint once its last record is on disk: a record after it is
    // no crash's tail. Someone without the key added it (its leaf too); sealing more would sign it, and
    // `verify` would then pass the forged record.
    const forged = join(tmp, "forged");
    await cp(log, forged, { recursive: true });
    const record = fixtureRecord(200, "forged");
    const leaf = createHash("sha256")
      .update(Buffer.from([0]))
      .update(record)
      .digest("hex");
    await appendFile(join(forged, "segments/000000000000.jsonl"), `${record}\n`);
    await appendFile(join(forged, "segments/000000000000.leaves"), `${leaf}\n`);
    const input = join(tmp, "more.jsonl");
    await writeFile(input, `${fixtureRecord(100)}\n`);
    const before = await snapshot(forged);
    const key = join(keys, "private.pem");
    const r = await cli(
      "seal",
      "--in",
      input,
      "--out",
      forged,
      "--key",
      key,
      "--origin",
      "trailcheck.local/log",
    );
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `trailcheck: ${forged}: refusing to extend this log: records 30–30 follow final checkpoint #4`,
    );
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(await snapshot(forged)).toEqual(before);
    const verified = await cli("verify", forged, "--key", join(keys, "public.pem"));
    expect(verified.exitCode).toBe(1);
    expect(verified.stdout).toMatch(/uncovered-records/);
  });
});

describe("trailcheck seal of a file with a bad record past the first batch (CLI)", {
  timeout: 180_000,
}, () => {
  // Beyond the 8 M characters of a batch: the first batch is sealed before the bad record is read.
  const many = Array.from({ length: 40_000 }, (_, i) => `${fixtureRecord(i, "x".repeat(200))}\n`).join("");
  const bad = `${many}{"not":"a record"}\n`;

  it("leaves no half-sealed new log behind", async () => {
    const input = join(tmp, "bad.jsonl");
    await writeFile(input, bad);
    const out = join(tmp, "never");
    const r = await cli("seal", "--in", input, "--out", out, "--key", join(keys, "private.pem"));
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:40001/);
    await expect(readdir(out)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("leaves an existing log as it was", async () => {
    const input = join(tmp, "bad.jsonl");
    await writeFile(input, bad);
    const copy = join(tmp, "extended");
    await cp(log, copy, { recursive: true });
    const before = await snapshot(copy);
    const r = await cli("seal", "--in", input, "--out", copy, "--key", join(keys, "private.pem"));
    expect(r.exitCode, r.stderr).toBe(2);
    expect(await snapshot(copy)).toEqual(before);
  });
});

/** Every file of a folder with its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const bytes = await readFile(join(dir, name)).catch(() => undefined);
    if (bytes) out[name] = bytes.toString("base64");
  }
  return out;
}

describe("trailcheck export / verify-export (CLI)", { timeout: 180_000 }, () => {
  it("exports one run that verifies offline, and fails after a byte changes", async () => {
    const bundle = join(tmp, "bundle");
    const traceId = (3).toString(16).padStart(32, "0");
    const pub = join(keys, "public.pem");
    const r = await cli("export", "--from", log, "--key", pub, "--trace-id", traceId, "--out", bundle);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/exported 5 record\(s\) of 1 run\(s\)/);
    const verified = await cli("verify-export", bundle, "--key", pub);
    expect(verified.exitCode).toBe(0);
    // Which log and checkpoint the records are proven against: a bundle of another log of the same key
    // verifies too.
    expect(verified.stdout).toBe(
      "✓ valid: 5 record(s) of log trailcheck.local/log, each proven against its signed checkpoint #4 (30 records); every file is intact",
    );

    const html = join(bundle, `timeline/${traceId}.html`);
    const bytes = await readFile(html);
    bytes[bytes.length >> 1]! ^= 0x20;
    await writeFile(html, bytes);
    const tampered = await cli("verify-export", bundle, "--key", pub, "--format", "json");
    expect(tampered.exitCode).toBe(1);
    expect(JSON.parse(tampered.stdout).findings).toEqual([
      {
        kind: "modified-file",
        file: `timeline/${traceId}.html`,
        message: "differs from what the proven records produce",
      },
    ]);
  });

  it("refuses an export without a selection", async () => {
    const r = await cli("export", "--from", log, "--key", join(keys, "public.pem"), "--out", join(tmp, "b2"));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/give either --trace-id ID or both --since TIME and --until TIME/);
  });
});
