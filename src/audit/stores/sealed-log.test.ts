import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NS_PER_MS } from "../../model/time.js";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { startingAt } from "../../testing/records.js";
import { genAiRun } from "../../testing/runs.js";
import {
  editLines,
  FIXTURE_START,
  type SealedLogFixture,
  sealedLogFixture,
} from "../../testing/sealed-log.js";
import { audit } from "../audit.js";
import { runAuditCommand } from "../command.js";
import { openStore } from "../open-store.js";
import { isoTime, resolveWindow } from "../window.js";

/** The GenAI fixture run, moved to just after the sealed log's clock starts. */
function lines(): string[] {
  const moved = startingAt(genAiRun().records, BigInt(FIXTURE_START) * NS_PER_MS + 1_000_000_000n);
  return moved.map((r) => JSON.stringify(r));
}

let fixture: SealedLogFixture | undefined;
afterEach(() => fixture?.cleanup());

async function sealedSpec(f: SealedLogFixture) {
  const key = join(f.dir, "..", `${f.dir.split("/").at(-1)}.pub.pem`);
  await writeFile(key, f.publicPem);
  return { spec: `sealed:${f.dir}?key=${key}`, now: isoTime(BigInt(f.now.getTime()) * NS_PER_MS) };
}

async function auditSealed(f: SealedLogFixture) {
  const { spec, now } = await sealedSpec(f);
  return audit({
    stores: [await openStore(spec)],
    window: resolveWindow({ now, from: "-1h" }),
    profile: BUILTIN_PROFILES.reconstructable!,
    alerts: { minRuns: 50, alpha: 0.001 },
    allRuns: true,
  });
}

describe("a sealed log as the store", () => {
  it("reads the runs of a log that verifies", async () => {
    fixture = await sealedLogFixture({ records: lines(), segmentRecords: 3 });
    const { report } = await auditSealed(fixture);
    expect(report.stores[0]!.integrity).toEqual({ valid: true, findings: [] });
    expect(report.runs.map((r) => [r.agent, r.verdict])).toEqual([["weather", "reconstructable"]]);
  });

  it("gives every run with a record in a log that fails verification an integrity reason", async () => {
    fixture = await sealedLogFixture({ records: lines(), segmentRecords: 3 });
    // An edit that keeps the record valid JSON: the tool's arguments changed after sealing.
    await editLines(fixture.dir, "segments/000000000000.jsonl", (ls) =>
      ls.map((l) => l.replace('{\\"city\\":\\"Paris\\"}', '{\\"city\\":\\"Lyon\\"}')),
    );
    const { report } = await auditSealed(fixture);
    expect(report.stores[0]!.integrity?.valid).toBe(false);
    expect(report.stores[0]!.integrity?.findings.join(" ")).toContain("modified-record");
    const [run] = report.runs;
    expect(run!.verdict).toBe("incomplete");
    expect(run!.reasons).toEqual([expect.objectContaining({ code: "integrity", cause: "integrity" })]);
    // Too few runs for a rate alert: the failed verification alone makes the command exit 1.
    const { spec, now } = await sealedSpec(fixture);
    const io = { cwd: fixture.dir, out: () => {}, clock: () => new Date(now) };
    expect(await runAuditCommand({ store: [spec], now, from: "-1h" }, io)).toBe(1);
  });

  it("needs the log's public key", async () => {
    await expect(openStore("sealed:/tmp/x")).rejects.toThrow(
      /give its public key, sealed:\/tmp\/x\?key=public.pem/,
    );
  });
});
