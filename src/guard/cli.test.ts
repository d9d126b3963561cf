import { appendFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../integrity/keys.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { guardCall } from "./guard-call.js";
import { openLedger } from "./open-ledger.js";

cleanupAfterEach();
const root = resolve(import.meta.dirname, "../..");
const cli = (...args: string[]) => execa("node", [...DEV_CLI, ...args], { cwd: root, reject: false });

/** A ledger with two guarded calls, the second one failing. */
async function ledgerWithCalls(options: { key?: string } = {}): Promise<string> {
  const dir = await tempDir();
  const ledger = await openLedger({ dir, ...options });
  await guardCall(
    ledger,
    { toolName: "lookup_order", callId: "call_1", arguments: { orderId: "A-1001" } },
    () => ({
      total: 40,
    }),
  );
  await guardCall(ledger, { toolName: "refund_payment", callId: "call_2", arguments: { amount: 40 } }, () => {
    throw new Error("card declined");
  }).catch(() => undefined);
  await ledger.close();
  return dir;
}

describe("trailcheck ledger show / verify (CLI)", { timeout: 120_000 }, () => {
  it("prints {version, valid, records} and exits 0; verify accepts the unsigned ledger without a key", async () => {
    const dir = await ledgerWithCalls();
    const shown = await cli("ledger", "show", dir, "--format", "json");
    expect(shown.exitCode, shown.stderr).toBe(0);
    const json = JSON.parse(shown.stdout);
    expect(json).toMatchObject({
      version: 1,
      valid: true,
      signed: false,
      checked: "structure",
      findings: [],
    });
    expect(json.records.map((r: { type: string; callId: string }) => `${r.type} ${r.callId}`)).toEqual([
      "tool-call.start call_1",
      "tool-call.end call_1",
      "tool-call.start call_2",
      "tool-call.end call_2",
    ]);
    const text = await cli("ledger", "show", dir);
    expect(text.stdout).toMatch(/tool-call\.end +refund_payment call_2 error: "card declined"/);
    expect(text.stdout).toMatch(/✓ valid: 4 records in 1 segment\(s\), 0 checkpoint\(s\)/);
    const verified = await cli("verify", dir);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/✓ valid: unsigned ledger of 4 records .* not tamper evidence/);
  });

  it("reports a torn last record: exit 1 from show and verify", async () => {
    const dir = await ledgerWithCalls();
    await appendFile(join(dir, "segments/000000000000.jsonl"), '{"type":"tool-call.st');
    const shown = await cli("ledger", "show", dir, "--format", "json");
    expect(shown.exitCode).toBe(1);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      valid: false,
      findings: [{ kind: "torn-record", index: 4 }],
    });
    const verified = await cli("verify", dir, "--format", "json");
    expect(verified.exitCode).toBe(1);
    expect(JSON.parse(verified.stdout).findings).toMatchObject([{ kind: "torn-record" }]);
  });

  it("verifies a signed ledger with its key and refuses to judge it without (exit 2)", async () => {
    const pair = generateKeyPair();
    const dir = await ledgerWithCalls({ key: pair.privatePem });
    const keyFile = join(dir, "..", `${dir.split("/").at(-1)}-public.pem`);
    await writeFile(keyFile, pair.publicPem);
    const verified = await cli("verify", dir, "--key", keyFile);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(
      /✓ valid: ledger of 4 records in 1 segment\(s\), 2 signed checkpoint\(s\)/,
    );
    const shown = await cli("ledger", "show", dir, "--key", keyFile, "--format", "json");
    expect(JSON.parse(shown.stdout)).toMatchObject({ valid: true, signed: true, checked: "signatures" });
    const otherOrigin = await cli("verify", dir, "--key", keyFile, "--origin", "prod-ledger");
    expect(otherOrigin.exitCode, otherOrigin.stdout).toBe(1);
    expect(otherOrigin.stdout).toContain("of log trailcheck-ledger, not of prod-ledger");
    expect((await cli("verify", dir, "--key", keyFile, "--origin", "trailcheck-ledger")).exitCode).toBe(0);
    for (const args of [
      ["verify", dir],
      ["ledger", "show", dir],
    ]) {
      const refused = await cli(...args);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/this ledger has signed checkpoints; pass --key PUBLIC\.pem/);
    }
  });

  it("refuses a folder that holds no ledger rather than calling it valid (exit 2)", async () => {
    const empty = await tempDir();
    for (const args of [
      ["verify", empty],
      ["ledger", "show", empty],
      ["ledger", "show", join(empty, "missing")],
    ]) {
      const r = await cli(...args);
      expect(r.exitCode, `${args.join(" ")}: ${r.stdout}`).toBe(2);
      expect(r.stderr).toMatch(/--key is required|not a guard ledger/);
    }
  });

  it("still requires --key for a sealed log that is not a ledger", async () => {
    const dir = await tempDir();
    await writeFile(join(await tempDir(), "x"), "");
    const pair = generateKeyPair();
    const { SealedLogWriter } = await import("../integrity/writer.js");
    const { parsePrivateKey } = await import("../integrity/keys.js");
    const writer = await SealedLogWriter.open({
      dir,
      privateKey: parsePrivateKey(pair.privatePem),
      origin: "example.com/log",
      timer: false,
    });
    await writer.append({ traceId: "a".repeat(32), spanId: "b".repeat(16), name: "x" });
    await writer.close();
    const r = await cli("verify", dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--key is required/);
  });
});
