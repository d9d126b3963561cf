import type { ClickHouseClient } from "@clickhouse/client";
import { InputError } from "../../errors.js";
import { FieldError } from "../../ingest/otlp-values.js";
import type { SpanRecord } from "../../model/record.js";
import { NS_PER_SECOND } from "../../model/time.js";
import type { AssembledRun } from "../run-assembler.js";
import type { RunFacts } from "../run-facts.js";
import type { Reason, StoreRetention, StoreSummary } from "../schema.js";
import type {
  EvidenceSource,
  GroupedAudit,
  GroupedAuditQuery,
  JudgedRun,
  RunGroupingStore,
  SettledRuns,
} from "../store.js";
import { isoTime } from "../window.js";
import { connect, storeError } from "./connect.js";
import { isoNanos, READ_COLUMNS, recordOfRow, type StoredRow } from "./exporter-rows.js";
import { judgeTableRetention } from "./retention.js";
import { auditSelect, RANGE, runSelect } from "./run-query.js";
import {
  checkResultsTtl,
  RESULTS_TABLE,
  resultDays,
  resultsDdl,
  resultValues,
  settledResultsInsert,
} from "./run-results.js";
import { displaySpec, parseClickHouseSpec } from "./spec.js";
import { ident, TABLE } from "./sql.js";
import { inspectTable, type TableShape } from "./table.js";

/** Trace ids per query when fetching the runs node judges (query parameters travel in the URL). */
const BATCH = 2000;
/** Beyond this many runs for node, one ordered scan of the range beats a query per batch. */
const SCAN_ABOVE = 20_000;

interface AuditRow {
  readonly unsettled: string;
  readonly service: string;
  readonly agentName: string;
  readonly runs: string | number;
  readonly lastStart: string;
  readonly spans: string | number;
}

/** The ClickHouse exporter's table, read through `@clickhouse/client` (a server, or chdb in process). */
export class ClickHouseStore implements RunGroupingStore {
  readonly groupsRuns = true;

  constructor(
    readonly spec: string,
    private readonly client: ClickHouseClient,
    private readonly shape: TableShape,
    private readonly where: string,
  ) {}

  async #rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    try {
      const result = await this.client.query({
        query,
        query_params: { db: this.shape.database, table: this.shape.table, ...params },
        format: "JSONEachRow",
      });
      return (await result.json()) as T[];
    } catch (err) {
      throw storeError(err, this.where);
    }
  }

  /** Every stored run whose start is in the range, settled in SQL or sent to node. */
  async audit(query: GroupedAuditQuery): Promise<GroupedAudit> {
    const { window } = query;
    const range = { lo: String(window.baselineFrom), now: String(window.now) };
    const rows = await this.#rows<AuditRow>(auditSelect(query.profile), {
      ...range,
      from: String(window.baselineFrom),
      to: String(window.to),
      windowFrom: String(window.from),
      bucketNs: String(query.bucketNs),
      everyRun: query.everyRun,
      forced: [...query.traceIds],
    });
    const settled: SettledRuns[] = [];
    const unsettled: string[] = [];
    let spans = 0;
    for (const row of rows) {
      spans += Number(row.spans);
      if (row.unsettled !== "") unsettled.push(row.unsettled);
      else
        settled.push({
          service: row.service,
          agent: row.agentName,
          runs: Number(row.runs),
          lastStart: BigInt(row.lastStart),
        });
    }
    const [oldest] = await this.#rows<{ oldest: string; rows: string }>(
      `SELECT toString(toUnixTimestamp64Nano(min(Timestamp))) AS oldest, toString(count()) AS rows FROM ${TABLE}`,
      {},
    );
    const retention = this.#retention(query);
    const expired = new Map<string, bigint>();
    const evidence: EvidenceSource = {
      name: `${this.shape.database}.${this.shape.lookup}`,
      reasonsFor: (facts: RunFacts) => expiredReason(facts, expired.get(facts.traceId), this.shape),
    };
    const runs = this.#runs(unsettled, range, window.baselineFrom, expired);
    return {
      settled,
      runs,
      evidence,
      summary: (): Omit<StoreSummary, "spec" | "runs"> => ({
        read: settled.reduce((n, s) => n + s.runs, 0) + unsettled.length,
        skipped: 0,
        spans,
        edge: oldest && oldest.rows !== "0" ? isoTime(BigInt(oldest.oldest)) : null,
        integrity: null,
        retention,
      }),
    };
  }

  #retention(query: GroupedAuditQuery): StoreRetention {
    const s = this.shape;
    if (s.storage === null) {
      const needs = query.profile.retention.minimum ?? query.profile.retention.immediate;
      return {
        ttl: null,
        ttlOnlyDropParts: s.ttlOnlyDropParts,
        configured: null,
        required: query.profile.retention.minimum ?? null,
        ok: needs === undefined,
        message: `${s.database}.${s.table} is a Distributed table whose storage table is not on this server: its TTL can't be read here${needs ? `, so '${query.profile.name}' retention of ${needs} is not proven` : ""}`,
      };
    }
    return judgeTableRetention(
      s.ttl,
      s.ttlOnlyDropParts,
      query.profile,
      `${s.storage.database}.${s.storage.table}`,
    );
  }

  /**
   * The stored spans of the runs node judges, a batch at a time. The lookup table's first sighting of a
   * trace tells a run that began before the range (not counted) from one whose first spans are gone.
   */
  async *#runs(
    ids: readonly string[],
    range: { lo: string; now: string },
    from: bigint,
    expired: Map<string, bigint>,
  ): AsyncGenerator<AssembledRun> {
    const sorted = [...ids].sort();
    // Few runs: a query per batch of ids. Many: one scan of the range, keeping the runs asked for.
    const scan = sorted.length > SCAN_ABOVE;
    const wanted = scan ? new Set(sorted) : undefined;
    for (const batch of scan ? [sorted] : chunk(sorted, BATCH)) {
      const firstSeen = new Map<string, bigint>();
      for (const part of chunk(batch, BATCH))
        for (const [k, v] of await this.#firstSeen(part)) firstSeen.set(k, v);
      const rows = this.#stream<StoredRow>(
        `SELECT ${READ_COLUMNS} FROM ${TABLE} WHERE ${RANGE}${scan ? "" : " AND TraceId IN {ids:Array(String)}"} ORDER BY TraceId`,
        { ...range, ...(scan ? {} : { ids: batch }) },
      );
      // Rows come ordered by trace: one run is held at a time.
      let current: { traceId: string; records: SpanRecord[] } | undefined;
      const done = (run: { traceId: string; records: SpanRecord[] }): AssembledRun | undefined => {
        const first = firstSeen.get(run.traceId);
        if (first !== undefined) {
          if (first < from / NS_PER_SECOND) return undefined;
          expired.set(run.traceId, first);
        }
        return { traceId: run.traceId, records: run.records, stores: [0] };
      };
      for await (const row of rows) {
        if (wanted && !wanted.has(row.TraceId)) continue;
        if (current?.traceId !== row.TraceId) {
          const ready = current && done(current);
          if (ready) yield ready;
          current = { traceId: row.TraceId, records: [] };
        }
        current.records.push(this.#record(row));
      }
      const last = current && done(current);
      if (last) yield last;
    }
  }

  /** Rows of a query as they are parsed, not all at once. */
  async *#stream<T>(query: string, params: Record<string, unknown>): AsyncGenerator<T> {
    let result: Awaited<ReturnType<ClickHouseClient["query"]>>;
    try {
      result = await this.client.query({
        query,
        query_params: { db: this.shape.database, table: this.shape.table, ...params },
        format: "JSONEachRow",
      });
    } catch (err) {
      throw storeError(err, this.where);
    }
    for await (const rows of result.stream<T>()) {
      for (const row of rows as { json(): T }[]) yield row.json();
    }
  }

  /** The lookup table's first second of each trace (`otel_traces_trace_id_ts.Start`). */
  async #firstSeen(ids: readonly string[]): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    if (this.shape.lookup === null || ids.length === 0) return out;
    const rows = await this.#rows<{ TraceId: string; first: string }>(
      "SELECT TraceId, toString(toUnixTimestamp(min(Start))) AS first FROM {db:Identifier}.{lookup:Identifier} WHERE TraceId IN {ids:Array(String)} GROUP BY TraceId",
      { lookup: this.shape.lookup, ids },
    );
    for (const r of rows) out.set(r.TraceId, BigInt(r.first));
    return out;
  }

  #record(row: StoredRow): SpanRecord {
    try {
      return recordOfRow(row);
    } catch (err) {
      if (err instanceof FieldError) {
        throw new InputError(
          "bad-trace",
          `${this.shape.database}.${this.shape.table} holds a span that is not a span (trace '${row.TraceId.slice(0, 40)}', span '${row.SpanId.slice(0, 40)}'): ${err.field} ${err.message}`,
        );
      }
      throw err;
    }
  }

  async readRun(traceId: string, now: bigint): Promise<SpanRecord[]> {
    const firstSeen = await this.#firstSeen([traceId]);
    const first = firstSeen.get(traceId);
    const lo = first !== undefined ? first * NS_PER_SECOND : 0n;
    const rows = await this.#rows<StoredRow>(
      `SELECT ${READ_COLUMNS} FROM ${TABLE} WHERE ${RANGE} AND TraceId = {id:String}`,
      { lo: String(lo), now: String(now), id: traceId },
    );
    return rows.map((r) => this.#record(r));
  }

  /**
   * Writes the verdict of every audited run of the window into `trailcheck_run_audit` beside the
   * traces table (created if missing, kept at least the profile's retention): the runs the query
   * settled straight from the database, then the runs judged in node, which replace any row of theirs.
   */
  async writeResults(
    query: GroupedAuditQuery,
    judged: readonly JudgedRun[],
    auditedAt: Date,
  ): Promise<{ table: string; rows: number }> {
    const { window, profile } = query;
    const days = resultDays(profile);
    const where = `${this.shape.database}.${RESULTS_TABLE}`;
    const params = { db: this.shape.database, results: RESULTS_TABLE };
    const existing = await this.#rows<{ engine_full: string }>(
      "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {results:String}",
      params,
    );
    try {
      if (existing[0]) checkResultsTtl(existing[0].engine_full, days, where);
      else await this.client.command({ query: resultsDdl(days), query_params: params });
      const common = {
        auditedAt: String(auditedAt.getTime()),
        windowStartMs: String(window.from / 1_000_000n),
        windowEndMs: String(window.to / 1_000_000n),
        profile: profile.name,
      };
      await this.client.command({
        query: settledResultsInsert(runSelect(profile)),
        query_params: {
          ...params,
          table: this.shape.table,
          lo: String(window.baselineFrom),
          now: String(window.now),
          from: String(window.baselineFrom),
          to: String(window.to),
          windowFrom: String(window.from),
          everyRun: false,
          forced: [...query.traceIds],
          ...common,
        },
      });
      const rows = judged.filter((r) => r.start >= window.from && r.start < window.to);
      if (rows.length > 0) {
        await this.client.insert({
          table: `${ident(this.shape.database)}.${RESULTS_TABLE}`,
          values: resultValues(
            rows,
            {
              auditedAt: auditedAt.toISOString(),
              windowStart: new Date(Number(window.from / 1_000_000n)).toISOString(),
              windowEnd: new Date(Number(window.to / 1_000_000n)).toISOString(),
              profile: profile.name,
            },
            isoNanos,
          ),
          format: "JSONEachRow",
          clickhouse_settings: { date_time_input_format: "best_effort" },
        });
      }
      const [count] = await this.#rows<{ n: string }>(
        "SELECT toString(count()) AS n FROM {db:Identifier}.{results:Identifier} WHERE AuditedAt = fromUnixTimestamp64Milli({auditedAt:Int64})",
        { ...params, auditedAt: common.auditedAt },
      );
      return { table: where, rows: Number(count?.n ?? 0) };
    } catch (err) {
      throw storeError(err, this.where);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Evidence the lookup table gives: the run was first seen before its earliest stored span started. */
function expiredReason(facts: RunFacts, firstSecond: bigint | undefined, shape: TableShape): Reason[] {
  if (firstSecond === undefined || facts.spans === 0) return [];
  if (firstSecond >= facts.earliest / NS_PER_SECOND) return [];
  return [
    {
      code: "retention-edge",
      cause: "retention",
      message: `${shape.database}.${shape.lookup} saw this run at ${isoTime(firstSecond * NS_PER_SECOND)}, but its earliest stored span starts at ${isoTime(facts.earliest)}: its first records are gone (expired or deleted) while later ones remain`,
    },
  ];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Opens a `clickhouse://`, `https://` or `chdb:` store and checks its table. */
export async function openClickHouseStore(spec: string, base: string): Promise<ClickHouseStore> {
  const target = parseClickHouseSpec(spec, base);
  const where = target.kind === "chdb" ? `chdb:${target.path}` : target.url;
  const client = await connect(target);
  try {
    const shape = await inspectTable(client, target.database, target.table).catch((err) => {
      throw storeError(err, where);
    });
    return new ClickHouseStore(displaySpec(spec), client, shape, where);
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
}
