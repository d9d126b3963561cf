import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../../guard/open-ledger.js";
import type { SpanRecord } from "../../model/record.js";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { startingAt } from "../../testing/records.js";
import { genAiRun } from "../../testing/runs.js";
import { audit } from "../audit.js";
import { runAuditCommand } from "../command.js";
import { readLedgerEvidence } from "../ledger-evidence.js";
import { AuditReportSchema } from "../schema.js";
import { resolveWindow } from "../window.js";
import { openClickHouseStore } from "./clickhouse-store.js";
import { isoNanos } from "./exporter-rows.js";
import { auditSelect } from "./run-query.js";
import { createExporterTables, exporterJsonDdl, insertRecords, openTestChdb } from "./testdata/chdb.js";

// The store on a chdb data directory made with the exporter's DDL. One directory per test file (chdb
// opens one per process); each test has a database of its own.

// The current hour: TTLs (the results table's among them) count from the real clock.
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
const NOW_NS = BigInt(Date.parse(NOW)) * 1_000_000n;

let chdb: Awaited<ReturnType<typeof openTestChdb>>;
let client: ClickHouseClient;
beforeAll(async () => {
  chdb = await openTestChdb();
  client = chdb.client;
}, 60_000);
afterAll(async () => chdb?.close());

/** The GenAI fixture run as trace `n`, `minutes` before NOW, under this service and agent. */
function run(n: number, minutes: number, service: string, agent: string, extra: Record<string, string> = {}) {
  const records = startingAt(genAiRun().records, NOW_NS - BigInt(minutes) * 60_000_000_000n);
  const traceId = n.toString(16).padStart(32, "0");
  return records.map(
    (r): SpanRecord => ({
      ...r,
      traceId,
      resource: { "service.name": service },
      attributes:
        r.parentSpanId === undefined
          ? { ...r.attributes, "gen_ai.agent.name": agent, ...extra }
          : { ...r.attributes, ...extra },
    }),
  );
}

const withoutTool = (records: SpanRecord[]) => records.filter((r) => !r.name.startsWith("execute_tool"));

async function load(database: string, runs: SpanRecord[][], table = "otel_traces"): Promise<void> {
  await createExporterTables(client, { database, table, ttlDays: 3650 });
  await insertRecords(client, database, runs.flat(), table);
}

/** Audits through a store of its own (opened and closed), the way the command does. */
async function auditStore(spec: string, profile = BUILTIN_PROFILES.reconstructable!) {
  const store = await openClickHouseStore(spec, "/");
  try {
    const { report } = await audit({
      stores: [store],
      window: resolveWindow({ now: NOW, from: "-1h", baseline: "1d" }),
      profile,
      alerts: { minRuns: 5, alpha: 0.001 },
    });
    return report;
  } finally {
    await store.close();
  }
}

// Each test audits through the command or the store, several times: each audit sends ClickHouse the
// whole per-span plan to analyse, which takes seconds on a loaded machine.
describe("the ClickHouse store", { timeout: 120_000 }, () => {
  it("keeps agent names, service names and attribute keys of any text as data, never as SQL", async () => {
    const hostile = [
      "a'b",
      "x'); DROP TABLE h.otel_traces; --",
      "{table:Identifier}",
      "back`tick\\",
      'quote"d',
      "line\nbreak",
      "ı unicode ＡＢＣ",
      "\\u0027",
    ];
    const keys = { "weird'key": "v", "{db:Identifier}": "w", "k\\": "x", ["__proto__"]: "y", "a`b": "z" };
    const runs = hostile.flatMap((name, i) => [
      run(10 + i, 10, `svc ${name}`, name, keys),
      withoutTool(run(100 + i, 20, `svc ${name}`, name, keys)),
    ]);
    // Any name the exporter's own DDL can create (its view template quotes with "…" unescaped).
    const database = "h'o`st";
    await load(database, runs, "otel'traces");
    const spec = `chdb:${chdb.dir}?database=${encodeURIComponent(database)}&table=${encodeURIComponent("otel'traces")}`;
    // The test holds the directory open; the store shares this process's session.
    const report = await auditStore(spec);
    expect(report.agents.map((a) => [a.service, a.agent, a.runs]).sort()).toEqual(
      hostile.map((name) => [`svc ${name}`, name, { reconstructable: 1, incomplete: 1, pending: 0 }]).sort(),
    );
    expect(report.runs.every((r) => r.reasons.some((x) => x.code === "unaccounted-tool-call"))).toBe(true);
    const [count] = (await (
      await client.query({
        query: "SELECT count() AS n FROM {db:Identifier}.{t:Identifier}",
        query_params: { db: database, t: "otel'traces" },
        format: "JSONEachRow",
      })
    ).json()) as { n: string }[];
    expect(Number(count!.n)).toBe(runs.flat().length);
  });

  it("refuses a table made with the exporter's json: true option, naming the option", async () => {
    await client.command({ query: "CREATE DATABASE IF NOT EXISTS j" });
    await client.command({ query: exporterJsonDdl("j") });
    await expect(openClickHouseStore(`chdb:${chdb.dir}?database=j`, "/")).rejects.toMatchObject({
      code: "bad-table",
      message: expect.stringContaining("the ClickHouse exporter's json: true option"),
    });
    await expect(openClickHouseStore(`chdb:${chdb.dir}?database=nosuch`, "/")).rejects.toMatchObject({
      code: "bad-table",
      message: expect.stringContaining("there is no table nosuch.otel_traces"),
    });
  });

  it("refuses a table whose id or text columns are Nullable, where NULL would read as a root", async () => {
    // traces_table.sql writes ParentSpanId String ('' for a root). A table changed to Nullable(String)
    // with a span whose parent is NULL judged that span a second root and the run whole.
    await load("nullable", [run(91, 10, "svc", "agent")]);
    await client.command({
      query: "ALTER TABLE nullable.otel_traces MODIFY COLUMN ParentSpanId Nullable(String)",
    });
    await expect(openClickHouseStore(`chdb:${chdb.dir}?database=nullable`, "/")).rejects.toMatchObject({
      code: "bad-table",
      message: expect.stringContaining("ParentSpanId is Nullable(String)"),
    });
  });

  it("fetches one run whole, through the exporter's trace-id lookup table", async () => {
    await load("one", [run(7, 30, "svc", "agent"), run(8, 90, "svc", "agent")]);
    const store = await openClickHouseStore(`chdb:${chdb.dir}?database=one`, "/");
    try {
      const records = await store.readRun((7).toString(16).padStart(32, "0"), NOW_NS);
      expect(records.map((r) => r.name).sort()).toEqual(
        run(7, 30, "svc", "agent")
          .map((r) => r.name)
          .sort(),
      );
      expect(records.every((r) => r.resource["service.name"] === "svc")).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("writes every audited run's verdict into trailcheck_run_audit, kept as long as the profile needs", async () => {
    const runs = [
      run(1, 10, "svc", "agent"),
      run(2, 20, "svc", "agent"),
      withoutTool(run(3, 30, "svc", "agent")),
    ];
    runs.push(run(4, 120, "svc", "agent")); // in the baseline: not written
    await load("w", runs);
    const spec = `chdb:${chdb.dir}?database=w`;
    let out = "";
    const notes: string[] = [];
    const flags = { store: [spec], now: NOW, format: "json", writeResults: true, profile: "eu-ai-act" };
    const io = {
      cwd: "/",
      out: (s: string) => (out += s),
      err: (s: string) => notes.push(s),
      clock: () => new Date(NOW),
    };
    expect(await runAuditCommand(flags, io)).toBe(0);
    AuditReportSchema.parse(JSON.parse(out));
    expect(notes).toEqual([`wrote 3 run verdict(s) into w.trailcheck_run_audit\n`]);
    const rows = async () =>
      (await (
        await client.query({
          query:
            "SELECT TraceId, ServiceName, AgentName, Verdict, ReasonCodes, Profile, toString(toUnixTimestamp64Nano(Start)) AS start FROM w.trailcheck_run_audit FINAL ORDER BY TraceId",
          format: "JSONEachRow",
        })
      ).json()) as { TraceId: string; Verdict: string; ReasonCodes: string[]; start: string }[];
    const first = await rows();
    expect(first.map((r) => [r.TraceId.slice(-1), r.Verdict, r.ReasonCodes])).toEqual([
      ["1", "reconstructable", []],
      ["2", "reconstructable", []],
      ["3", "incomplete", ["unaccounted-tool-call"]],
    ]);
    expect(first[0]).toMatchObject({ ServiceName: "svc", AgentName: "agent", Profile: "eu-ai-act" });
    expect(isoNanos(first[2]!.start)).toBe(isoNanos(runs[2]![0]!.start));
    // Six months, counted as the profile counts them: 6 × 31 days.
    const [table] = (await (
      await client.query({
        query: "SELECT engine_full FROM system.tables WHERE database = 'w' AND name = 'trailcheck_run_audit'",
        format: "JSONEachRow",
      })
    ).json()) as { engine_full: string }[];
    expect(table!.engine_full).toContain("TTL toDateTime(Start) + toIntervalDay(186)");
    // Auditing the window again replaces its rows.
    expect(await runAuditCommand(flags, io)).toBe(0);
    expect(await rows()).toEqual(first);
    // A results table kept shorter than the profile requires is refused, with the fix.
    await expect(runAuditCommand({ ...flags, profile: "hipaa" }, io)).rejects.toMatchObject({
      code: "bad-table",
      message: expect.stringContaining("MODIFY TTL toDateTime(Start) + toIntervalDay(2196)"),
    });
    await expect(runAuditCommand({ ...flags, store: [`otlp:${chdb.dir}`] }, io)).rejects.toMatchObject({
      code: "bad-option",
    });
  });

  it("reads only the daily partitions the window and its baseline reach", async () => {
    const days = [0, 3, 6];
    await load(
      "p",
      days.map((d) => run(81 + d, d * 24 * 60 + 10, "svc", "agent")),
    );
    const window = resolveWindow({ now: NOW, from: "-1h", baseline: "1d" });
    const plan = await client.query({
      query: `EXPLAIN indexes = 1 ${auditSelect(BUILTIN_PROFILES.reconstructable!)}`,
      query_params: {
        db: "p",
        table: "otel_traces",
        lo: String(window.baselineFrom),
        now: String(window.now),
        from: String(window.baselineFrom),
        to: String(window.to),
        windowFrom: String(window.from),
        bucketNs: "3600000000000",
        everyRun: false,
        forced: [],
      },
      format: "TabSeparatedRaw",
    });
    const indexes = (await plan.text())
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^(Type|Parts|Condition|Keys):/.test(l) || /^(MinMax|Partition|PrimaryKey)$/.test(l));
    // Each day is a partition of its own part: the partition key's min-max index leaves one of three.
    const parts = indexes.filter((l) => /^Parts: \d+\/\d+$/.test(l));
    expect([parts[0], parts.at(-1)], indexes.join("\n")).toEqual(["Parts: 1/3", "Parts: 1/1"]);
  });

  it("judges the table's TTL against the profile: a whole run kept 30 days fails six months (exit 1)", async () => {
    await createExporterTables(client, { database: "t", ttlDays: 30 });
    await insertRecords(client, "t", run(71, 10, "svc", "agent"));
    const audited = async (profile: string) => {
      let out = "";
      const code = await runAuditCommand(
        { store: [`chdb:${chdb.dir}?database=t`], now: NOW, profile },
        { cwd: "/", out: (s) => (out += s), err: () => {}, clock: () => new Date(NOW) },
      );
      return { code, out };
    };
    const eu = await audited("eu-ai-act");
    expect(eu.code).toBe(1);
    expect(eu.out).toContain(
      "retention FAILS THE PROFILE: t.otel_traces deletes records after 30d, but 'eu-ai-act' requires 6mo",
    );
    // The run itself is whole: the exit comes from the table alone.
    expect(eu.out).toMatch(/svc \/ agent +1 +0 +0 /);
    // The same table and run with a profile that asks for no retention: nothing to report.
    const plain = await audited("reconstructable");
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain("FAILS THE PROFILE");
  });

  it("calls an empty table nothing to audit (exit 1), and counts the runs it settles itself as audited", async () => {
    await createExporterTables(client, { database: "e", ttlDays: 3650 });
    const audited = async () => {
      let out = "";
      const code = await runAuditCommand(
        { store: [`chdb:${chdb.dir}?database=e`], now: NOW, baseline: "1d", format: "json" },
        { cwd: "/", out: (s) => (out += s), err: () => {}, clock: () => new Date(NOW) },
      );
      return { code, report: AuditReportSchema.parse(JSON.parse(out)) };
    };
    const empty = await audited();
    expect(empty.code).toBe(1);
    expect(empty.report.stores[0]!.runs).toBe(0);
    // A whole run: settled in SQL, never judged in node; it is still a run the audit saw.
    await insertRecords(client, "e", run(81, 10, "svc", "agent"));
    const one = await audited();
    expect(one.report.agents.map((a) => a.runs.reconstructable)).toEqual([1]);
    expect(one.report.stores[0]!.runs).toBe(1);
    expect(one.code).toBe(0);
  });

  it("sends the runs a guard ledger names to node, so its evidence is weighed against their spans", async () => {
    const whole = run(61, 30, "svc", "agent");
    await load("g", [whole, run(62, 40, "svc", "agent")]);
    const tool = whole.find((r) => r.attributes["gen_ai.tool.call.id"] === "call_1")!;
    const ledgerDir = mkdtempSync(join(tmpdir(), "trailcheck-ledger-"));
    try {
      const ledger = await openLedger({ dir: ledgerDir });
      const at = new Date(Number(BigInt(tool.start) / 1_000_000n)).toISOString();
      const call = (callId: string, traceId: string, spanId: string) => ({
        type: "tool-call.start" as const,
        traceId,
        spanId,
        toolName: "get_weather",
        callId,
        arguments: { city: "Paris" },
        at,
      });
      await ledger.append(call("call_1", tool.traceId, tool.spanId));
      await ledger.append(call("call_2", tool.traceId, "0000000000000009"));
      await ledger.append(call("call_7", "b".repeat(32), "1".repeat(16)));
      await ledger.close();
      const window = resolveWindow({ now: NOW, from: "-1h", baseline: "1d" });
      const store = await openClickHouseStore(`chdb:${chdb.dir}?database=g`, "/");
      try {
        const { report } = await audit({
          stores: [store],
          window,
          profile: BUILTIN_PROFILES.reconstructable!,
          alerts: { minRuns: 50, alpha: 0.001 },
          ledgers: [await readLedgerEvidence(ledgerDir, { now: window.now })],
        });
        expect(report.runs.map((r) => [r.traceId, r.reasons.map((x) => x.code)]).sort()).toEqual([
          [tool.traceId, ["action-not-in-trace"]],
          ["b".repeat(32), ["not-in-store"]],
        ]);
        expect(report.agents.find((a) => a.agent === "agent")!.runs.reconstructable).toBe(1);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(ledgerDir, { recursive: true, force: true });
    }
  });

  it("counts a rootless run whose root expired as incomplete, with the lookup table as evidence", async () => {
    // The root starts a few seconds before the rest of the run (the lookup table keeps whole seconds).
    const records = run(42, 30, "svc", "agent").map((r) =>
      r.parentSpanId === undefined ? { ...r, start: String(BigInt(r.start) - 5_000_000_000n) } : r,
    );
    await load("x", [records]);
    // The root's row goes, as a dropped part would take it; the lookup table still has the run's start.
    await client.command({ query: "DELETE FROM x.otel_traces WHERE ParentSpanId = ''" });
    const report = await auditStore(`chdb:${chdb.dir}?database=x`);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]!.reasons.map((r) => r.code)).toEqual(["no-root", "retention-edge"]);
  });
});
