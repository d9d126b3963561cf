import { InputError } from "../../errors.js";
import { durationNanos, formatDuration } from "../../model/duration.js";
import type { Profile } from "../../model/profile.js";
import { NS_PER_DAY } from "../../model/time.js";
import type { JudgedRun } from "../store.js";
import { ttlOf } from "./retention.js";
import { str } from "./sql.js";

/** The table `--write-results` fills: one row per audited run of the window, for dashboards. */
export const RESULTS_TABLE = "trailcheck_run_audit";

/**
 * Whole days the table keeps rows: at least the profile's minimum retention (months and years counted
 * long, as the profile counts them), or no TTL when the profile asks for none.
 */
export function resultDays(profile: Profile): number | undefined {
  const minimum = profile.retention.minimum ? durationNanos(profile.retention.minimum) : undefined;
  if (minimum === undefined) return undefined;
  return Number((minimum + NS_PER_DAY - 1n) / NS_PER_DAY);
}

/**
 * The results table: a `ReplacingMergeTree` keyed by agent, hour and trace, so auditing a window again
 * replaces its rows (the latest audit wins), partitioned by month of the runs' start.
 */
export function resultsDdl(days: number | undefined): string {
  return `CREATE TABLE IF NOT EXISTS {db:Identifier}.{results:Identifier} (
    AuditedAt DateTime64(3) CODEC(Delta, ZSTD(1)),
    WindowStart DateTime64(3),
    WindowEnd DateTime64(3),
    Profile LowCardinality(String),
    TraceId String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String),
    AgentName LowCardinality(String),
    Start DateTime64(9) CODEC(Delta, ZSTD(1)),
    Verdict LowCardinality(String),
    ReasonCodes Array(LowCardinality(String)),
    Reasons String CODEC(ZSTD(1))
  ) ENGINE = ReplacingMergeTree(AuditedAt)
  PARTITION BY toYYYYMM(Start)
  ORDER BY (ServiceName, AgentName, toStartOfHour(Start), TraceId)
  ${days === undefined ? "" : `TTL toDateTime(Start) + toIntervalDay(${days})`}`;
}

/**
 * Whether an existing results table keeps rows long enough: its TTL, read like the traces table's,
 * must be at least `days`. Throws an InputError naming the fix otherwise.
 */
export function checkResultsTtl(engineFull: string, days: number | undefined, where: string): void {
  if (days === undefined) return;
  const ttl = ttlOf(engineFull);
  if (ttl === null) return;
  const m = /^toDateTime\(Start\)\s*\+\s*toIntervalDay\((\d+)\)$/.exec(ttl.trim());
  const kept = m ? BigInt(m[1]!) * NS_PER_DAY : undefined;
  if (kept !== undefined && kept >= BigInt(days) * NS_PER_DAY) return;
  throw new InputError(
    "bad-table",
    `${where} exists with TTL '${ttl}', shorter than the ${formatDuration(BigInt(days) * NS_PER_DAY)} the profile's retention needs (or not a plain age of Start): ALTER TABLE ${where} MODIFY TTL toDateTime(Start) + toIntervalDay(${days})`,
  );
}

/** The columns a results row is inserted with (`JSONEachRow`, times as ISO text). */
export function resultValues(
  rows: readonly JudgedRun[],
  common: { auditedAt: string; windowStart: string; windowEnd: string; profile: string },
  isoNanos: (ns: string) => string,
): Record<string, unknown>[] {
  return rows.map((r) => ({
    AuditedAt: common.auditedAt,
    WindowStart: common.windowStart,
    WindowEnd: common.windowEnd,
    Profile: common.profile,
    TraceId: r.traceId,
    ServiceName: r.service,
    AgentName: r.agent,
    Start: isoNanos(String(r.start)),
    Verdict: r.verdict,
    ReasonCodes: r.reasons.map((x) => x.code),
    Reasons: JSON.stringify(r.reasons),
  }));
}

/** The settled runs of the window, written by the database itself from the audit's per-run query. */
export function settledResultsInsert(runSelect: string): string {
  return `INSERT INTO {db:Identifier}.{results:Identifier}
    (AuditedAt, WindowStart, WindowEnd, Profile, TraceId, ServiceName, AgentName, Start, Verdict, ReasonCodes, Reasons)
  SELECT
    fromUnixTimestamp64Milli({auditedAt:Int64}), fromUnixTimestamp64Milli({windowStartMs:Int64}),
    fromUnixTimestamp64Milli({windowEndMs:Int64}), {profile:String},
    TraceId, rootService, agent, fromUnixTimestamp64Nano(start), ${str("reconstructable")}, [], '[]'
  FROM (${runSelect})
  WHERE settled AND start >= {windowFrom:Int64}`;
}
