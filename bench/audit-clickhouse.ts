// The production audit on ClickHouse, in process (chdb), with the exporter's own DDL: 500,000 runs of
// an agent fleet in one hour (about 2 M spans: agent → model asking for a tool → the tool → model), every
// 50th run without its tool span. Audits that hour and times it against reading the same spans grouped
// by run into node (`SELECT TraceId, groupArray((SpanId, ParentSpanId, SpanAttributes)) … GROUP BY
// TraceId`), measured in the same process, alternating. Target: audit ≤ 3× the grouped read, node's heap
// small while ClickHouse does the grouping (peak heap above the idle heap is printed for both).
//
//   node bin/run-ts.js bench/audit-clickhouse.ts [RUNS] [ROUNDS]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit } from "../src/audit/audit.js";
import { connect } from "../src/audit/clickhouse/connect.js";
import { createExporterTables } from "../src/audit/clickhouse/testdata/chdb.js";
import { openStore } from "../src/audit/open-store.js";
import { groupsRuns } from "../src/audit/store.js";
import { resolveWindow } from "../src/audit/window.js";
import { BUILTIN_PROFILES } from "../src/profiles/builtin.js";

const RUNS = Number(process.argv[2] ?? 500_000);
const ROUNDS = Number(process.argv[3] ?? 3);

const dir = mkdtempSync(join(tmpdir(), "trailcheck-bench-ch-"));
const HOUR_NS = 3_600_000_000_000n;
// The last whole hour before now, so the table's TTL (400 days) keeps every row.
const hourStart = ((BigInt(Date.now()) * 1_000_000n) / HOUR_NS - 1n) * HOUR_NS;
const hourEnd = hourStart + HOUR_NS;

const client = await connect({ kind: "chdb", path: dir, database: "otel", table: "otel_traces" });
await createExporterTables(client, { database: "otel", ttlDays: 400 });

// One run: agent (0) → chat asking for lookup_order (1) → the tool (2) → chat answering (3), with the
// GenAI semantic conventions' attributes, as the exporter stores them (every value a string).
const t0 = performance.now();
await client.command({
  query: `
  INSERT INTO otel.otel_traces
    (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes,
     ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage)
  SELECT
    fromUnixTimestamp64Nano(toInt64({start:Int64} + intDiv(n * 3600000000000, {runs:UInt64}) + [0, 1000000, 1200000000, 2000000000][s + 1])),
    lower(hex(MD5(toString(n)))),
    substring(lower(hex(MD5(concat(toString(n), '-', toString(s))))), 1, 16),
    if(s = 0, '', substring(lower(hex(MD5(concat(toString(n), '-0')))), 1, 16)),
    '',
    ['invoke_agent ' || agent, 'chat gpt-4o', 'execute_tool lookup_order', 'chat gpt-4o'][s + 1],
    'Internal',
    service,
    map('service.name', service, 'service.version', '1.4.2', 'deployment.environment.name', 'prod'),
    'support-app', '1.0.0',
    [
      map('gen_ai.operation.name', 'invoke_agent', 'gen_ai.agent.name', agent, 'gen_ai.provider.name', 'openai'),
      map('gen_ai.operation.name', 'chat', 'gen_ai.provider.name', 'openai', 'gen_ai.request.model', 'gpt-4o',
          'gen_ai.input.messages', concat('[{"role":"user","parts":[{"type":"text","content":"Where is order A-', toString(n), '?"}]}]'),
          'gen_ai.output.messages', concat('[{"role":"assistant","parts":[{"type":"tool_call","id":"call_', toString(n), '","name":"lookup_order","arguments":{"orderId":"A-', toString(n), '"}}],"finish_reason":"tool_call"}]'),
          'gen_ai.usage.input_tokens', '120', 'gen_ai.usage.output_tokens', '24'),
      map('gen_ai.operation.name', 'execute_tool', 'gen_ai.tool.name', 'lookup_order', 'gen_ai.tool.call.id', concat('call_', toString(n)),
          'gen_ai.tool.call.arguments', concat('{"orderId":"A-', toString(n), '"}'), 'gen_ai.tool.call.result', '{"status":"shipped","carrier":"DHL"}'),
      map('gen_ai.operation.name', 'chat', 'gen_ai.provider.name', 'openai', 'gen_ai.request.model', 'gpt-4o',
          'gen_ai.input.messages', concat('[{"role":"tool","parts":[{"type":"tool_call_response","id":"call_', toString(n), '","response":{"status":"shipped"}}]}]'),
          'gen_ai.output.messages', concat('[{"role":"assistant","parts":[{"type":"text","content":"Order A-', toString(n), ' has shipped with DHL."}],"finish_reason":"stop"}]'),
          'gen_ai.usage.input_tokens', '180', 'gen_ai.usage.output_tokens', '16')
    ][s + 1],
    [3000000000, 1000000000, 500000000, 800000000][s + 1],
    'Unset', ''
  FROM (
    SELECT number AS n,
      ['checkout', 'support', 'search'][n % 3 + 1] AS service,
      ['refund-agent', 'triage-agent', 'order-agent', 'faq-agent', 'billing-agent'][intDiv(n, 3) % 5 + 1] AS agent
    FROM numbers({runs:UInt64})
  )
  ARRAY JOIN [0, 1, 2, 3] AS s
  WHERE NOT (s = 2 AND n % 50 = 0)`,
  query_params: { start: String(hourStart), runs: RUNS },
});
await client.command({ query: "OPTIMIZE TABLE otel.otel_traces FINAL" });
const count = await (
  await client.query({ query: "SELECT count() AS n FROM otel.otel_traces", format: "JSONEachRow" })
).json<{ n: string }>();
console.log(
  `${RUNS} runs, ${count[0]!.n} spans written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

/** Peak heap (above the heap at the start) and peak RSS while `fn` runs, and its time. */
async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; heapMb: number; rssMb: number; value: T }> {
  globalThis.gc?.();
  const idle = process.memoryUsage().heapUsed;
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - idle);
    rss = Math.max(rss, m.rss);
  };
  const timer = setInterval(sample, 10);
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  sample();
  return { ms, heapMb: heap / 2 ** 20, rssMb: rss / 2 ** 20, value };
}

/** The baseline: every span of the hour, grouped by run in ClickHouse, read into node row by row. */
async function groupedRead(): Promise<number> {
  const result = await client.query({
    query: `SELECT TraceId, groupArray((SpanId, ParentSpanId, SpanAttributes)) AS spans
      FROM otel.otel_traces
      WHERE Timestamp >= fromUnixTimestamp64Nano({from:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to:Int64})
      GROUP BY TraceId`,
    query_params: { from: String(hourStart), to: String(hourEnd) },
    format: "JSONCompactEachRow",
  });
  let runs = 0;
  for await (const rows of result.stream()) for (const row of rows) runs += row.json<unknown[]>() ? 1 : 0;
  return runs;
}

const store = await openStore(`chdb:${dir}?database=otel`);
const window = resolveWindow({
  now: new Date(Number((hourEnd + 60_000_000_000n) / 1_000_000n)).toISOString(),
  from: new Date(Number(hourStart / 1_000_000n)).toISOString(),
  to: new Date(Number(hourEnd / 1_000_000n)).toISOString(),
});
async function auditHour() {
  const { report } = await audit({
    stores: [store],
    window,
    profile: BUILTIN_PROFILES.reconstructable!,
    alerts: { minRuns: 50, alpha: 0.001 },
  });
  let reconstructable = 0;
  let incomplete = 0;
  for (const a of report.agents) {
    reconstructable += a.runs.reconstructable;
    incomplete += a.runs.incomplete;
  }
  return { reconstructable, incomplete, listed: report.runs.length };
}

const ratios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const base = await measure(groupedRead);
  const run = await measure(auditHour);
  const { reconstructable, incomplete, listed } = run.value;
  if (incomplete !== Math.ceil(RUNS / 50) || reconstructable + incomplete !== RUNS || base.value !== RUNS) {
    throw new Error(
      `wrong result: ${reconstructable} reconstructable, ${incomplete} incomplete, ${base.value} grouped (expected ${RUNS - Math.ceil(RUNS / 50)}, ${Math.ceil(RUNS / 50)}, ${RUNS})`,
    );
  }
  ratios.push(run.ms / base.ms);
  console.log(
    `round ${round}: grouped read ${(base.ms / 1000).toFixed(2)} s (heap +${base.heapMb.toFixed(0)} MB, rss ${base.rssMb.toFixed(0)} MB) · audit ${(run.ms / 1000).toFixed(2)} s (heap +${run.heapMb.toFixed(0)} MB, rss ${run.rssMb.toFixed(0)} MB; ${incomplete} incomplete, ${listed} listed) · ratio ${(run.ms / base.ms).toFixed(2)}×`,
  );
}
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
console.log(`audit / grouped read: median ${median.toFixed(2)}× (target ≤ 3×)`);

if (groupsRuns(store)) await store.close();
await client.close();
rmSync(dir, { recursive: true, force: true });
