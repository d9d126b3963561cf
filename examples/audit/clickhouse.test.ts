import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { connect } from "../../src/audit/clickhouse/connect.js";
import { createExporterTables, insertRecords } from "../../src/audit/clickhouse/testdata/chdb.js";
import { runAuditCommand } from "../../src/audit/command.js";
import { openStore } from "../../src/audit/open-store.js";
import { type AuditReport, AuditReportSchema } from "../../src/audit/schema.js";
import { groupsRuns } from "../../src/audit/store.js";
import { resolveWindow } from "../../src/audit/window.js";
import { BUILTIN_PROFILES } from "../../src/profiles/builtin.js";
import { DEV_CLI } from "../../src/testing/dev-cli.js";
import { AUDIT_FLAGS, NOW, storedRecords, writeStores } from "./fixtures.js";

// The same production data as the file and S3 stores of audit.test.ts — the reference agent's runs
// pushed through the example configs — written as the ClickHouse exporter's rows into a chdb data
// directory made with the exporter's own DDL.

const root = join(import.meta.dirname, "..", "..");
let dir: string;
let fileExport: string;
let chdb: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-audit-ch-"));
  fileExport = join(dir, "file-export");
  await writeStores(fileExport, { layout: "file", gzip: true, maxBytes: 512 * 1024, batchSize: 32 });
  chdb = join(dir, "chdb");
  const client = await connect({ kind: "chdb", path: chdb, database: "otel", table: "otel_traces" });
  // A TTL long enough to keep January's rows whenever the test runs.
  await createExporterTables(client, { database: "otel", ttlDays: 3650 });
  await insertRecords(
    client,
    "otel",
    (await storedRecords()).map((s) => s.record),
  );
  // chdb opens a data directory in one process at a time: the audits below open it themselves.
  await client.close();
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function auditJson(flags: Record<string, unknown>): Promise<{ code: number; report: AuditReport }> {
  let out = "";
  const code = await runAuditCommand(
    { now: NOW, baseline: "1d", format: "json", ...flags },
    { cwd: root, out: (s) => (out += s), err: () => {}, clock: () => new Date(NOW) },
  );
  return { code, report: AuditReportSchema.parse(JSON.parse(out)) };
}

/** What must not depend on the store: every agent (counts, rates, alerts, series) and every listed run. */
const view = (r: AuditReport, spec: string) =>
  JSON.parse(
    JSON.stringify({ agents: r.agents, runs: r.runs })
      .replaceAll(`'${spec}'`, "STORE")
      .replaceAll(spec, "STORE"),
  );

describe("trailcheck audit on the ClickHouse exporter's table", () => {
  it("gives the same verdicts, reasons, per-agent counts and alerts as the same runs written as files", async () => {
    const files = await auditJson({ store: [`file:${fileExport}`] });
    const spec = `chdb:${chdb}?database=otel`;
    const rows = await auditJson({ store: [spec] });
    expect(view(rows.report, spec)).toEqual(view(files.report, `file:${fileExport}`));
    expect(rows.code).toBe(files.code);
    // The comparison covers both alerts and incomplete runs with their reasons.
    expect(rows.report.agents.map((a) => a.alert?.kind ?? null).sort()).toEqual(
      [null, "rate", "silence"].sort(),
    );
    expect(rows.report.runs.filter((r) => r.verdict === "incomplete").length).toBeGreaterThan(20);
    expect(rows.report.stores[0]).toMatchObject({
      spec,
      integrity: null,
      retention: { ttl: "toDateTime(Timestamp) + toIntervalDay(3650)", ttlOnlyDropParts: true, ok: true },
    });
  });

  it("settles most runs in the database: only the others travel to node to be judged", async () => {
    const store = await openStore(`chdb:${chdb}?database=otel`);
    let judged = 0;
    try {
      const { report } = await audit({
        stores: [store],
        window: resolveWindow({ now: NOW, baseline: "1d" }),
        profile: BUILTIN_PROFILES.reconstructable!,
        alerts: { minRuns: 50, alpha: 0.001 },
        onJudged: () => judged++,
      });
      const counted = report.agents.reduce(
        (n, a) =>
          n +
          Object.values(a.runs).reduce((x, y) => x + y, 0) +
          Object.values(a.baselineRuns).reduce((x, y) => x + y, 0),
        0,
      );
      const listed = report.runs.length;
      // Every listed run was judged in node, and node saw far fewer runs than were counted.
      expect(judged).toBeGreaterThanOrEqual(listed);
      expect(judged).toBeLessThan(counted / 2);
    } finally {
      if (groupsRuns(store)) await store.close();
    }
  });

  it("lists every run with --all-runs, all judged in node, to the same JSON as the files", async () => {
    const files = await auditJson({ store: [`file:${fileExport}`], allRuns: true });
    const spec = `chdb:${chdb}?database=otel`;
    const rows = await auditJson({ store: [spec], allRuns: true });
    expect(view(rows.report, spec)).toEqual(view(files.report, `file:${fileExport}`));
  });

  it("runs as a process: exit 1 on the alerts, and judges retention against the profile", async () => {
    const result = await execa(
      process.execPath,
      [...DEV_CLI, "audit", "--store", `chdb:${chdb}?database=otel`, ...AUDIT_FLAGS],
      { cwd: root, reject: false },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("ALERT silence triage-agent / support-agent");
    expect(result.stdout).toContain("retention: otel.otel_traces keeps records 3650d");
    // HIPAA wants six years: a ten-year TTL passes, and the report says what the table keeps.
    const hipaa = await execa(
      process.execPath,
      [...DEV_CLI, "audit", "--store", `chdb:${chdb}?database=otel`, ...AUDIT_FLAGS, "--profile", "hipaa"],
      { cwd: root, reject: false },
    );
    expect(hipaa.stdout).toMatch(/keeps records 3650d; ttl_only_drop_parts .* \(the profile requires 6y\)/);
    // Two processes, each compiling the CLI from src/ and loading the embedded ClickHouse.
  }, 120_000);
});
