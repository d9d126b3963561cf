import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { runAuditCommand } from "../../src/audit/command.js";
import { openStore } from "../../src/audit/open-store.js";
import { type AuditReport, AuditReportSchema } from "../../src/audit/schema.js";
import { resolveWindow } from "../../src/audit/window.js";
import { BUILTIN_PROFILES } from "../../src/profiles/builtin.js";
import { DEV_CLI } from "../../src/testing/dev-cli.js";
import { AUDIT_FLAGS, NOW, plannedRuns, writeExampleStores, writeStores } from "./fixtures.js";

const root = join(import.meta.dirname, "..", "..");
let dir: string;
let stores: { fileExport: string; s3: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-audit-"));
  stores = await writeExampleStores(dir);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function auditJson(...specs: string[]): Promise<{ code: number; report: AuditReport }> {
  let out = "";
  const code = await runAuditCommand(
    { store: specs, now: NOW, baseline: "1d", format: "json" },
    { cwd: root, out: (s) => (out += s), clock: () => new Date(NOW) },
  );
  // Every JSON output is checked against the schema it is published with.
  return { code, report: AuditReportSchema.parse(JSON.parse(out)) };
}

const agent = (r: AuditReport, service: string, name = "support-agent") =>
  r.agents.find((a) => a.service === service && a.agent === name)!;

describe("trailcheck audit on stores made from the reference agent's runs", () => {
  it("alerts on the rate jump after the filter went live, and on the agent that fell silent", async () => {
    const { code, report } = await auditJson(`file:${stores.fileExport}`);
    expect(code).toBe(1);
    const support = agent(report, "support-agent");
    expect(support.runs).toEqual({ reconstructable: 32, incomplete: 28, pending: 2 });
    expect(support.baselineRuns.incomplete).toBe(0);
    expect(support.alert).toMatchObject({ kind: "rate", incomplete: 28, finished: 60 });
    expect(agent(report, "triage-agent").alert).toMatchObject({ kind: "silence", baselineRuns: 23 });
    // The redaction allow-list deletes service.name too: a steady 100% incomplete, no alert.
    const billing = agent(report, "");
    expect(billing.incompleteRate).toBe(1);
    expect(billing.alert).toBeNull();
  });

  it("explains each incomplete run from the stored data, and says how to make it an incident", async () => {
    const { report } = await auditJson(`file:${stores.fileExport}`);
    const filtered = report.runs.filter((r) => r.service === "support-agent" && r.verdict === "incomplete");
    expect(filtered).toHaveLength(28);
    for (const run of filtered) {
      expect(run.reasons.map((r) => r.code)).toContain("unaccounted-tool-call");
      expect(run.incident).toBe(
        `trailcheck incident add --store file:${stores.fileExport} --trace-id ${run.traceId}`,
      );
    }
    // Runs whose tool span had a policy decision beneath it: the decision is now an orphan.
    expect(
      filtered.some((r) =>
        r.reasons.some((x) => x.code === "orphan" && x.fact === "policy:refund-limit.parent"),
      ),
    ).toBe(true);
    const billing = report.runs.find((r) => r.service === "")!;
    expect(billing.reasons.some((r) => r.code === "missing-fact" && r.cause === "redaction")).toBe(true);
    const pending = report.runs.filter((r) => r.verdict === "pending");
    expect(pending.map((r) => r.reasons)).toEqual([[], []]);
  });

  it("reads the S3 layout to the same verdicts, reasons and alerts as the file export", async () => {
    const a = (await auditJson(stores.fileExport)).report;
    const b = (await auditJson(`s3:${stores.s3}`)).report;
    const view = (r: AuditReport, spec: string) =>
      JSON.parse(JSON.stringify({ agents: r.agents, runs: r.runs }).replaceAll(spec, "STORE"));
    expect(view(b, `s3:${stores.s3}`)).toEqual(view(a, stores.fileExport));
    expect(b.stores[0]).toMatchObject({ spans: a.stores[0]!.spans });
  });

  it("joins a run's spans across stores by trace id: each stream in a store of its own", async () => {
    const split = join(dir, "split");
    await writeStores(
      join(split, "llm"),
      { layout: "file", gzip: true, maxBytes: 256 * 1024 },
      (s) => s === "llm",
    );
    await writeStores(join(split, "rest"), { layout: "s3" }, (s) => s !== "llm");
    const whole = (await auditJson(stores.fileExport)).report;
    const joined = (await auditJson(`file:${join(split, "llm")}`, `s3:${join(split, "rest")}`)).report;
    expect(joined.agents.map((a) => [a.service, a.agent, a.runs, a.baselineRuns])).toEqual(
      whole.agents.map((a) => [a.service, a.agent, a.runs, a.baselineRuns]),
    );
  });

  it("prunes the S3 partitions and rotated backups the window can't need", async () => {
    const window = resolveWindow({ now: NOW, baseline: "1h" });
    const { report } = await audit({
      stores: [await openStore(`s3:${stores.s3}`)],
      window,
      profile: BUILTIN_PROFILES.reconstructable!,
      alerts: { minRuns: 50, alpha: 0.001 },
    });
    const full = (await auditJson(`s3:${stores.s3}`)).report;
    expect(report.stores[0]!.skipped).toBeGreaterThan(0);
    expect(report.stores[0]!.read).toBeLessThan(full.stores[0]!.read);
    expect(agent(report, "support-agent").runs).toEqual(agent(full, "support-agent").runs);
  });

  it("holds only the runs still open while reading, not the store", async () => {
    // Minute partitions: a run is let go as soon as the partitions past its end (and the grace) are read.
    let most = 0;
    const { report } = await audit({
      stores: [await openStore(`s3:${stores.s3}`)],
      window: resolveWindow({ now: NOW, baseline: "1d" }),
      profile: BUILTIN_PROFILES.reconstructable!,
      alerts: { minRuns: 50, alpha: 0.001 },
      onSegment: (open) => {
        most = Math.max(most, open);
      },
    });
    const runs = report.agents.reduce(
      (n, a) => n + a.runs.reconstructable + a.runs.incomplete + a.runs.pending,
      0,
    );
    const baseline = report.agents.reduce(
      (n, a) => n + a.baselineRuns.reconstructable + a.baselineRuns.incomplete,
      0,
    );
    expect(runs + baseline).toBeGreaterThan(200);
    // The bound: runs open at once, counting a run open from its start until grace plus one partition
    // (a minute) after its last span ended.
    const slack = 16n * 60_000_000_000n;
    const spans = (await plannedRuns()).map(({ records }) => ({
      from: records.reduce((m, r) => (BigInt(r.start) < m ? BigInt(r.start) : m), BigInt(records[0]!.start)),
      to: records.reduce((m, r) => (BigInt(r.end) > m ? BigInt(r.end) : m), 0n) + slack,
    }));
    const concurrent = Math.max(
      ...spans.map((a) => spans.filter((b) => b.from <= a.from && a.from <= b.to).length),
    );
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(concurrent);
  });

  it("runs as a process: exit 1 on an alert, text with the agents first", async () => {
    const result = await execa(
      process.execPath,
      [...DEV_CLI, "audit", "--store", stores.s3, ...AUDIT_FLAGS],
      {
        cwd: root,
        reject: false,
      },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/support-agent \/ support-agent\s+62\s+28\s+2\s+46\.7%/);
    expect(result.stdout).toContain("ALERT silence triage-agent / support-agent");
    const bad = await execa("node", ["bin/trailcheck.js", "audit", "--store", "nosuch:x"], {
      cwd: root,
      reject: false,
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/unknown store kind 'nosuch'/);
  });
});
