import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { runAuditCommand } from "../../src/audit/command.js";
import { openStore } from "../../src/audit/open-store.js";
import { type AuditReport, AuditReportSchema, type Episode } from "../../src/audit/schema.js";
import type { AuditFlags } from "../../src/audit/settings.js";
import { StoreWriter } from "../../src/audit/store-writer.js";
import { resolveWindow } from "../../src/audit/window.js";
import { runIncidentAdd } from "../../src/cli/incident.js";
import { loadIncident } from "../../src/incidents/load.js";
import { readRecords } from "../../src/ingest/index.js";
import type { SpanRecord } from "../../src/model/record.js";
import { loadCollectorConfig } from "../../src/otelcol/index.js";
import { simulate } from "../../src/pipeline/index.js";
import { BUILTIN_PROFILES } from "../../src/profiles/builtin.js";
import { DEV_CLI } from "../../src/testing/dev-cli.js";
import { AUDIT_FLAGS, NOW, plannedRuns, shiftRun, writeExampleStores, writeStores } from "./fixtures.js";

async function records(file: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const r of readRecords(file)) out.push(r);
  return out;
}

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

describe("trailcheck audit with the pipeline the stores were written by", () => {
  it("names the stage that dropped what a run lacks: the filter that went live", async () => {
    let out = "";
    await runAuditCommand(
      {
        store: [`s3:${stores.s3}`],
        now: NOW,
        baseline: "1d",
        format: "json",
        logging: "examples/logging/filter.yaml",
      },
      { cwd: root, out: (s) => (out += s), clock: () => new Date(NOW) },
    );
    const report = AuditReportSchema.parse(JSON.parse(out));
    expect(report.settings.logging).toBe("examples/logging/filter.yaml");
    const filtered = report.runs.filter((r) => r.service === "support-agent" && r.verdict === "incomplete");
    for (const run of filtered) {
      for (const r of run.reasons.filter((x) => x.code === "unaccounted-tool-call" || x.code === "orphan")) {
        expect(r).toMatchObject({ cause: "filter", stage: "all/filter[0]" });
      }
    }
  });

  it("names a collector processor with --otelcol, where the store itself shows no cause", async () => {
    const otelcol = join(root, "examples/otelcol/agent-sampling-redaction.yaml");
    const storage = join(root, "examples/otelcol/agent-sampling-redaction.storage.yaml");
    const { config } = await loadCollectorConfig([otelcol], { storage });
    const source = await records(join(root, "examples/traces/genai-semconv.otlp.json"));
    const store = join(dir, "otelcol-s3");
    const writer = new StoreWriter({ layout: "s3", dir: store });
    const start = BigInt(Date.parse(NOW)) * 1_000_000n - 50n * 60_000_000_000n;
    // 10% head sampling: enough runs that some are kept.
    for (let i = 0; i < 40; i++) {
      const run = shiftRun(source, start + BigInt(i) * 60_000_000_000n, `otelcol-${i}`, "billing-agent");
      for (const s of simulate(run, config, { auditAfterNs: 0n }).stored) writer.add(s.record);
    }
    writer.close();
    const run = async (flags: Partial<AuditFlags>) => {
      let out = "";
      await runAuditCommand(
        { store: [`s3:${store}`], now: NOW, baseline: "1h", format: "json", ...flags },
        { cwd: root, out: (s) => (out += s), clock: () => new Date(NOW) },
      );
      return AuditReportSchema.parse(JSON.parse(out));
    };
    const plain = await run({});
    expect(plain.runs.length).toBeGreaterThan(0);
    const argsOf = (r: AuditReport) =>
      r.runs[0]!.reasons.find(
        (x) => x.code === "missing-fact" && x.fact === "tool:execute_tool lookup_order.arguments",
      );
    // summary: info counts what was deleted but not which keys: from the store alone, the cause is unknown.
    expect(argsOf(plain)).toMatchObject({ cause: "unknown" });
    const explained = await run({ otelcol: [otelcol], storage });
    expect(argsOf(explained)).toMatchObject({
      cause: "redaction",
      stage: expect.stringMatching(/redaction/),
    });
  });
});

describe("trailcheck audit between audits", () => {
  it("keeps alert episodes in --state, writes --output files, and prints OpenMetrics", async () => {
    const state = join(dir, "state", "audit.json");
    const output = join(dir, "out");
    const run = async (now: string, format = "json") => {
      let out = "";
      const code = await runAuditCommand(
        { store: [`s3:${stores.s3}`], now, baseline: "1d", format, state, output },
        { cwd: root, out: (s) => (out += s), clock: () => new Date(now) },
      );
      return { code, out };
    };
    const first = await run(NOW);
    expect(first.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(first.out));
    expect(report.episodes.map((e) => [e.service, e.kind, e.end])).toEqual([
      ["support-agent", "rate", null],
      ["triage-agent", "silence", null],
    ]);
    expect(JSON.parse(await readFile(join(output, "audit.json"), "utf8"))).toEqual(report);
    const html = await readFile(join(output, "audit.html"), "utf8");
    const incomplete = report.runs.filter((r) => r.verdict === "incomplete");
    expect(html.match(/<article class="card run"/g)).toHaveLength(incomplete.length);
    for (const run of incomplete) expect(html).toContain(run.incident!.replaceAll("'", "&#x27;"));
    expect(incomplete.every((r) => r.incident !== undefined)).toBe(true);
    expect(await readFile(join(output, "audit.prom"), "utf8")).toMatch(
      /trailcheck_audit_alert\{service="support-agent",agent="support-agent",kind="rate"\} 1\n[\s\S]*# EOF\n$/,
    );
    // Two hours on nothing has been written: the rate episode ends, support-agent falls silent.
    const later = await run("2026-01-15T12:00:00Z", "openmetrics");
    expect(later.code).toBe(1);
    expect(later.out).toContain(
      'trailcheck_audit_alert{service="support-agent",agent="support-agent",kind="silence"} 1',
    );
    const episodes = JSON.parse(await readFile(state, "utf8")).episodes as Episode[];
    expect(episodes.map((e) => [e.service, e.kind, e.start, e.end, e.audits])).toEqual([
      ["support-agent", "rate", "2026-01-15T10:00:00.000Z", "2026-01-15T12:00:00.000Z", 1],
      ["triage-agent", "silence", "2026-01-15T10:00:00.000Z", null, 2],
      // Both agents that ran until 10:00 fell silent (the redacted one has no service.name).
      ["", "silence", "2026-01-15T12:00:00.000Z", null, 1],
      ["support-agent", "silence", "2026-01-15T12:00:00.000Z", null, 1],
    ]);
  });
});

describe("trailcheck incident add --store", () => {
  it("turns an audited run into an incident with source production-audit and the audit's reasons as facts", async () => {
    const { report } = await auditJson(`s3:${stores.s3}`);
    const run = report.runs.find((r) => r.service === "support-agent" && r.verdict === "incomplete")!;
    const incidents = join(dir, "incidents");
    let out = "";
    const code = await runIncidentAdd(
      undefined,
      { store: [`s3:${stores.s3}`], traceId: run.traceId, dir: incidents, reported: "2026-01-15" },
      {
        cwd: root,
        out: (s) => (out += s),
        err: () => {},
        today: () => "2026-01-15",
        clock: () => new Date(NOW),
      },
    );
    expect(code).toBe(0);
    const loaded = await loadIncident(resolve(root, out.trim().split("\n").at(-1)!));
    expect(loaded.incident.source).toBe("production-audit");
    const facts = [...new Set(run.reasons.flatMap((r) => (r.fact ? [r.fact] : [])))];
    expect(loaded.incident.expect.facts).toEqual(facts);
    expect(loaded.incident.summary).toContain("unaccounted-tool-call");
    expect(loaded.records.every((r) => r.traceId === run.traceId)).toBe(true);
  });

  it("needs a trace id, and either a file or stores", async () => {
    const io = { cwd: root, out: () => {}, err: () => {}, today: () => "2026-01-15" };
    await expect(runIncidentAdd(undefined, { store: [`s3:${stores.s3}`] }, io)).rejects.toThrow(
      /--store needs --trace-id/,
    );
    await expect(runIncidentAdd("x.json", { store: [`s3:${stores.s3}`] }, io)).rejects.toThrow(/not both/);
    await expect(
      runIncidentAdd(
        undefined,
        { store: [`s3:${stores.s3}`], traceId: "0".repeat(32), dir: join(dir, "none") },
        io,
      ),
    ).rejects.toThrow(/no span of trace 0{32}/);
  });
});
