import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { agentRunArb } from "../../synth/agent-run.js";
import { READ_COLUMNS } from "./exporter-rows.js";
import { auditSelect, RANGE } from "./run-query.js";
import { createExporterTables, insertRecords, openTestChdb } from "./testdata/chdb.js";

// A cluster spreads one run's spans over shards (the exporter's Distributed table shards by rand() or
// by trace). The audit's queries are read here through remote() over two local shards, each span on
// exactly one of them, and must give what the table gives: every aggregate merges across shards.

const SHARDED = {
  from: "remote('127.0.0.1,localhost', {db:String}, {table:String})",
  where: "cityHash64(SpanId) % 2 = _shard_num - 1",
};

let chdb: Awaited<ReturnType<typeof openTestChdb>>;
beforeAll(async () => {
  chdb = await openTestChdb();
  await createExporterTables(chdb.client, { database: "d" });
  const runs = fc.sample(agentRunArb({ largeRate: 0 }), { seed: 7, numRuns: 150 });
  // Some runs lose a span, so both settled and unsettled runs are compared.
  const records = runs.flatMap((r, i) => (i % 4 === 0 ? r.records.slice(0, -1) : r.records));
  await insertRecords(chdb.client, "d", records);
}, 120_000);
afterAll(async () => chdb?.close());

async function rows(query: string): Promise<unknown[]> {
  const result = await chdb.client.query({
    query,
    query_params: {
      db: "d",
      table: "otel_traces",
      lo: "0",
      now: "9000000000000000000",
      from: "0",
      to: "9000000000000000000",
      windowFrom: "0",
      bucketNs: "3600000000000",
      everyRun: false,
      forced: [],
    },
    format: "JSONEachRow",
  });
  return (await result.json()) as unknown[];
}

const sorted = (list: unknown[]) => list.map((r) => JSON.stringify(r)).sort();

describe("the audit's SQL on a cluster", () => {
  it("settles and counts the same runs when each run's spans are spread over shards", async () => {
    const profile = BUILTIN_PROFILES.reconstructable!;
    const local = await rows(auditSelect(profile));
    const sharded = await rows(auditSelect(profile, SHARDED));
    expect(sorted(sharded)).toEqual(sorted(local));
    const settled = local.filter((r) => (r as { unsettled: string }).unsettled === "");
    expect(settled.length).toBeGreaterThan(0);
    expect(local.length).toBeGreaterThan(settled.length);
    // The shards really hold different spans of the same runs.
    const spread = await rows(
      `SELECT TraceId FROM ${SHARDED.from} WHERE ${SHARDED.where} GROUP BY TraceId HAVING uniqExact(_shard_num) = 2`,
    );
    expect(spread.length).toBeGreaterThan(50);
  });

  it("fetches the same spans of the runs node judges", async () => {
    const fetch = (from: string, where = "") =>
      rows(
        `SELECT ${READ_COLUMNS} FROM ${from} WHERE ${RANGE}${where ? ` AND ${where}` : ""} ORDER BY TraceId, SpanId`,
      );
    expect(await fetch(SHARDED.from, SHARDED.where)).toEqual(
      await fetch("{db:Identifier}.{table:Identifier}"),
    );
  });
});
