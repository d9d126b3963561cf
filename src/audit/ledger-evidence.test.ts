// The guard's write-ahead ledger as independent ground truth for the production audit.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { openLedger } from "../guard/open-ledger.js";
import type { ToolCallStart } from "../guard/records.js";
import { generateKeyPair } from "../integrity/keys.js";
import { NS_PER_MS } from "../model/time.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { startingAt } from "../testing/records.js";
import { genAiRun } from "../testing/runs.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { audit } from "./audit.js";
import { runAuditCommand } from "./command.js";
import { readLedgerEvidence } from "./ledger-evidence.js";
import { openStore } from "./open-store.js";
import { exportRequest } from "./otlp-encode.js";
import { AuditReportSchema } from "./schema.js";
import { resolveWindow } from "./window.js";

cleanupAfterEach();
const T0 = Date.parse("2025-06-01T10:00:00.000Z");
const NOW = "2025-06-01T11:00:00.000Z";
const iso = (ms: number) => new Date(ms).toISOString();
const GONE = "b".repeat(32);
const RECENT = "c".repeat(32);

/** The GenAI fixture run, moved to start at T0, in an OTLP JSON file. */
async function storeFile(dir: string) {
  const moved = startingAt(genAiRun().records, BigInt(T0) * NS_PER_MS);
  const file = join(dir, "traces.json");
  await writeFile(file, JSON.stringify(exportRequest(moved)));
  const tool = moved.find((r) => r.attributes["gen_ai.tool.call.id"] === "call_1")!;
  return { file, traceId: tool.traceId, toolSpan: tool.spanId };
}

/** A ledger: the stored tool call, one the store lost, a run the store never got, and one still exporting. */
async function ledgerFor(traceId: string, toolSpan: string, key?: string) {
  const dir = await tempDir();
  const ledger = await openLedger({ dir, ...(key ? { key } : {}) });
  const start = (callId: string, trace: string, span: string, at: number): ToolCallStart => ({
    type: "tool-call.start",
    traceId: trace,
    spanId: span,
    toolName: "get_weather",
    callId,
    arguments: { city: "Paris" },
    at: iso(at),
  });
  await ledger.append(start("call_1", traceId, toolSpan, T0 + 1000));
  await ledger.append(start("call_2", traceId, "0".repeat(15) + "9", T0 + 2000));
  await ledger.append(start("call_7", GONE, "1".repeat(16), T0 + 5000));
  // Five minutes before the audit: within the grace its spans may still arrive.
  await ledger.append(start("call_8", RECENT, "2".repeat(16), Date.parse(NOW) - 5 * 60_000));
  await ledger.close();
  return dir;
}

describe("the audit with a guard ledger", () => {
  it("reports a ledger call the run's spans lack, and a run the store never got", async () => {
    const { file, traceId, toolSpan } = await storeFile(await tempDir());
    const ledgerDir = await ledgerFor(traceId, toolSpan);
    const window = resolveWindow({ now: NOW, from: "-1h" });
    const { report } = await audit({
      stores: [await openStore(`otlp:${file}`)],
      window,
      profile: BUILTIN_PROFILES.reconstructable!,
      alerts: { minRuns: 50, alpha: 0.001 },
      allRuns: true,
      ledgers: [await readLedgerEvidence(ledgerDir, { now: window.now })],
    });
    const byTrace = new Map(report.runs.map((r) => [r.traceId, r]));
    expect(byTrace.get(traceId)).toMatchObject({
      verdict: "incomplete",
      reasons: [
        {
          code: "action-not-in-trace",
          cause: "unknown",
          fact: "tool:get_weather.record",
          spanId: "0000000000000009",
          message: expect.stringMatching(
            /recorded tool 'get_weather' \(call call_2, span 0{15}9\) at 2025-06-01T10:00:02\.000Z/,
          ),
        },
      ],
    });
    expect(byTrace.get(GONE)).toMatchObject({
      verdict: "incomplete",
      start: "2025-06-01T10:00:05.000Z",
      reasons: [{ code: "not-in-store", message: expect.stringContaining("the store holds no span of it") }],
    });
    expect(byTrace.get(RECENT)).toMatchObject({ verdict: "pending", reasons: [] });
    // `incident add --store` takes a run from its stored spans: a run with none gets no such command.
    expect(byTrace.get(GONE)!.incident).toBeUndefined();
    expect(byTrace.get(traceId)!.incident).toBe(
      `trailcheck incident add --store otlp:${file} --trace-id ${traceId}`,
    );
  });

  it("runs from the command line: --ledger, and --ledger-key for a signed ledger (exit 2 without it)", {
    timeout: 120_000,
  }, async () => {
    const work = await tempDir();
    const { file, traceId, toolSpan } = await storeFile(work);
    const pair = generateKeyPair();
    const ledgerDir = await ledgerFor(traceId, toolSpan, pair.privatePem);
    const keyFile = join(work, "ledger.pub.pem");
    await writeFile(keyFile, pair.publicPem);
    const args = ["audit", "--store", `otlp:${file}`, "--ledger", ledgerDir, "--now", NOW, "--from", "-1h"];
    const cli = (...more: string[]) =>
      execa("node", [...DEV_CLI, ...args, ...more], { cwd: work, reject: false });

    const refused = await cli("--format", "json");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /this ledger has signed checkpoints; give its public key with --ledger-key/,
    );

    const r = await cli("--ledger-key", keyFile, "--format", "json", "--all-runs");
    expect(r.exitCode, r.stderr).toBe(0);
    const codes = JSON.parse(r.stdout).runs.flatMap((run: { reasons: { code: string }[] }) =>
      run.reasons.map((x) => x.code),
    );
    expect(codes.sort()).toEqual(["action-not-in-trace", "not-in-store"]);
    const text = await cli("--ledger-key", keyFile);
    expect(text.stdout).toContain(
      `make it an incident: trailcheck incident add --store otlp:${file} --trace-id ${traceId}`,
    );
    expect(text.stdout).not.toContain(`--trace-id ${GONE}`);
  });
});

describe("the audit's exit code with damaged evidence", () => {
  it("exits 1 naming a ledger that fails verification, even when no audited run has its calls", async () => {
    const work = await tempDir();
    const { file } = await storeFile(work);
    // The ledger's calls belong to runs outside the window: nothing audited names them.
    const ledgerDir = await ledgerFor("d".repeat(32), "3".repeat(16));
    const args = { store: [`otlp:${file}`], ledger: [ledgerDir], now: NOW, from: "-1h", format: "json" };
    const io = (errs: string[]) => ({
      cwd: work,
      out: () => {},
      err: (t: string) => void errs.push(t),
      clock: () => new Date(NOW),
    });
    const clean: string[] = [];
    expect(await runAuditCommand(args, io(clean))).toBe(0);
    expect(clean).toEqual([]);

    const segments = join(ledgerDir, "segments");
    const [segment] = (await readdir(segments)).filter((f) => f.endsWith(".jsonl"));
    const path = join(segments, segment!);
    await writeFile(path, (await readFile(path, "utf8")).replace("Paris", "Lyon!"));
    const errs: string[] = [];
    let out = "";
    const output = join(work, "out");
    expect(
      await runAuditCommand(
        { ...args, output },
        {
          ...io(errs),
          out: (t: string) => {
            out += t;
          },
        },
      ),
    ).toBe(1);
    expect(errs.join("")).toMatch(new RegExp(`trailcheck: the ledger ${ledgerDir} fails verification`));
    // The report says so too, not only stderr: the JSON, and audit.html's heading (it read "no alert").
    const report = AuditReportSchema.parse(JSON.parse(out));
    expect(report.ledgers).toEqual([
      { name: `ledger ${ledgerDir}`, valid: false, message: expect.stringContaining("fails verification") },
    ]);
    expect(report.agents.every((a) => a.alert === null)).toBe(true);
    const html = await readFile(join(output, "audit.html"), "utf8");
    expect(html).toContain(
      '<div class="verdict gaps" id="verdict"><strong>1 ledger(s) failing verification; 1 agent(s) with incomplete runs too few to test</strong>',
    );
  });
});
