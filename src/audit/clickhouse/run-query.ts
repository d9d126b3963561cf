import type { Profile } from "../../model/profile.js";
import {
  agentNameSql,
  agentsTurnSql,
  blockedCallIdSql,
  carriedAgentSql,
  classifySql,
  classifySureSql,
  factsSureSql,
  failedSql,
  sdkRootShowingCallSql,
  spanRequestsSql,
  toolCallIdSql,
} from "./span-plan.js";
import { TABLE } from "./sql.js";

/**
 * The spans of the range: partitions outside it are pruned by the `Timestamp` bounds; spans that ended
 * after the audit's clock were not there at `now`, as for file stores. Parameters: `lo`, `now` (unix ns).
 */
export const RANGE = `Timestamp >= fromUnixTimestamp64Nano({lo:Int64}) AND Timestamp <= fromUnixTimestamp64Nano({now:Int64}) AND toUnixTimestamp64Nano(Timestamp) + toInt64(Duration) <= {now:Int64} AND TraceId != ''`;

const HEX = (n: number) => `'^[0-9a-f]{${n}}$'`;

/**
 * Where the spans are read from: the table, or (in tests) the same rows seen as a cluster would serve
 * them — `remote()` over several local shards, each holding a share of every run's spans.
 */
export interface SpanSource {
  readonly from: string;
  readonly where?: string;
}

const THE_TABLE: SpanSource = { from: TABLE };

/** One row per span: what the mappers would find on it (see `span-plan.ts`). */
function spanSelect(profile: Profile, source: SpanSource): string {
  return `SELECT
    TraceId, SpanId, ParentSpanId,
    toUnixTimestamp64Nano(Timestamp) AS ts,
    ${classifySql()} AS kc,
    kc.1 AS kind,
    kc.2 AS conv,
    ResourceAttributes['service.name'] AS service,
    ${failedSql()} AS failed,
    ${spanRequestsSql()} AS requests,
    if(kind = 'tool', ${toolCallIdSql()}, '') AS executed,
    ${blockedCallIdSql()} AS blocked,
    if(kind = 'agent', ${agentNameSql()}, tuple('', 1)) AS named,
    ${carriedAgentSql()} AS carried,
    (${sdkRootShowingCallSql()}) AS sdkRoot,
    (${agentsTurnSql()}) AS turn,
    (${classifySureSql()})
      AND (${factsSureSql(profile)})
      AND requests.2 = 1
      AND named.2 = 1
      AND match(SpanId, ${HEX(16)}) AND SpanId != '0000000000000000'
      AND (ParentSpanId = '' OR match(ParentSpanId, ${HEX(16)})) AS sure
  FROM ${source.from}
  WHERE ${RANGE}${source.where ? ` AND ${source.where}` : ""}`;
}

/**
 * One row per run of the range (every aggregate merges across shards, so a `Distributed` table gives the
 * same rows): its start (its root's, else its earliest span's), service, agent, span count, and `settled`
 * when its stored spans surely show nothing missing — one root, no duplicate span, no parent outside the
 * run, every required fact present and readable, every tool call asked for executed or blocked by call
 * id, no model call evidenced without its span. Parameters: `lo`, `now`, `from`, `to` (the counted
 * starts), `forced` (trace ids that go to node whatever), `everyRun`.
 */
export function runSelect(profile: Profile, source: SpanSource = THE_TABLE): string {
  return `SELECT
    TraceId,
    count() AS spans,
    countIf(ParentSpanId = '') AS roots,
    min(ts) AS earliest,
    if(roots > 0, minIf(ts, ParentSpanId = ''), earliest) AS start,
    anyIf(service, ParentSpanId = '') AS rootService,
    uniqExact(SpanId) AS distinctSpans,
    uniqExactArray(if(ParentSpanId = '', [SpanId], [SpanId, ParentSpanId])) AS distinctIds,
    min(sure) AS allSure,
    sumMap(
      if(kind = 'llm', requests.1, if(executed != '', [executed], if(blocked != '', [blocked], CAST([], 'Array(String)')))),
      if(kind = 'llm', arrayMap(x -> toInt64(1), requests.1), if(executed != '' OR blocked != '', [toInt64(-1)], CAST([], 'Array(Int64)')))
    ) AS calls,
    groupArrayIf(SpanId, sdkRoot) AS sdkRoots,
    groupArrayIf(ParentSpanId, kind = 'llm') AS llmParents,
    countIf(turn) AS turns,
    countIf(kind = 'agent') AS agentSpans,
    argMinIf(named.1, (ts, SpanId), kind = 'agent') AS firstAgent,
    argMinIf(carried, (ts, SpanId), carried != '') AS carriedAgent,
    if(agentSpans > 0, firstAgent, carriedAgent) AS agent,
    NOT {everyRun:Bool}
      AND NOT has({forced:Array(String)}, TraceId)
      AND match(TraceId, ${HEX(32)})
      AND roots = 1
      AND distinctSpans = spans
      AND distinctIds = distinctSpans
      AND allSure = 1
      AND arrayAll(v -> v <= 0, calls.2)
      AND turns = 0
      AND arrayAll(r -> has(llmParents, r), sdkRoots) AS settled
  FROM (${spanSelect(profile, source)})
  GROUP BY TraceId
  HAVING start >= {from:Int64} AND start < {to:Int64}`;
}

/**
 * Settled runs counted per period, bucket and agent, and one row per run that goes to node (its trace
 * id in `unsettled`). Parameters: those of `runSelect`, plus `windowFrom` and `bucketNs`.
 */
export function auditSelect(profile: Profile, source: SpanSource = THE_TABLE): string {
  return `SELECT
    if(settled, '', TraceId) AS unsettled,
    if(settled, rootService, '') AS service,
    if(settled, agent, '') AS agentName,
    start >= {windowFrom:Int64} AS inWindow,
    intDiv(start - {from:Int64}, {bucketNs:Int64}) AS bucket,
    count() AS runs,
    toString(max(start)) AS lastStart,
    sum(spans) AS spans
  FROM (${runSelect(profile, source)})
  GROUP BY unsettled, service, agentName, inWindow, bucket`;
}
