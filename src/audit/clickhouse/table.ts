import type { ClickHouseClient } from "@clickhouse/client";
import { InputError } from "../../errors.js";
import { ttlOf } from "./retention.js";

/** What the audit needs to know about the table it reads. */
export interface TableShape {
  readonly database: string;
  readonly table: string;
  readonly engine: string;
  /** The MergeTree table that holds the rows: the table itself, or the one a `Distributed` table reads. */
  readonly storage: { readonly database: string; readonly table: string } | null;
  /** The storage table's TTL (null: none), and whether it drops whole parts; unknown when `storage` is null. */
  readonly ttl: string | null;
  readonly ttlOnlyDropParts: boolean;
  /** The exporter's `<table>_trace_id_ts` lookup table exists beside it. */
  readonly lookup: string | null;
}

/**
 * A text column as the exporter writes it: `String` or `LowCardinality(String)`, never `Nullable`. The
 * audit reads an empty `ParentSpanId` as a root; a NULL one would read as a root too, and a span whose
 * parent a changed table lost would make the run look whole.
 */
const TEXT = /^(LowCardinality\()?String\)?$/;

/** The exporter's columns the audit reads, with the types it writes them as (`traces_table.sql`). */
const COLUMNS: Readonly<Record<string, RegExp>> = {
  Timestamp: /^DateTime64\(9/,
  TraceId: TEXT,
  SpanId: TEXT,
  ParentSpanId: TEXT,
  TraceState: TEXT,
  SpanName: TEXT,
  SpanKind: TEXT,
  ResourceAttributes: /^Map\(/,
  ScopeName: TEXT,
  ScopeVersion: TEXT,
  SpanAttributes: /^Map\(/,
  Duration: /^U?Int64$/,
  StatusCode: TEXT,
  StatusMessage: TEXT,
  "Events.Timestamp": /^Array\(DateTime64\(9/,
  "Events.Name": /^Array\(/,
  "Events.Attributes": /^Array\(Map\(/,
};

const MAP = /^Map\((LowCardinality\()?String\)?, String\)$/;

async function rows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: "JSONEachRow" });
  return (await result.json()) as T[];
}

/** The cluster, database and table a `Distributed(…)` engine names (quoted or bare). */
export function distributedTarget(
  engineFull: string,
  database: string,
): { database: string; table: string } | null {
  const m = /^Distributed\((.*)\)/s.exec(engineFull.trim());
  if (!m) return null;
  const args = [...m[1]!.matchAll(/'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w.]*(?:\([^)]*\))?)/g)].map(
    (a) => a[1]?.replace(/\\(.)/g, "$1") ?? a[2]!,
  );
  const db = args[1];
  const table = args[2];
  if (db === undefined || table === undefined) return null;
  return { database: db === "" || /^currentDatabase\(/.test(db) ? database : db, table };
}

function ttlOnlyDropParts(engineFull: string, serverDefault: boolean): boolean {
  const m = /\bttl_only_drop_parts\s*=\s*(\d+|true|false)/i.exec(engineFull);
  return m ? m[1] === "1" || m[1]!.toLowerCase() === "true" : serverDefault;
}

/**
 * Checks that the table is the exporter's `otel_traces` (Map attribute columns) and reads what decides
 * retention. A table made with the exporter's `json: true` option is refused, naming the option.
 */
export async function inspectTable(
  client: ClickHouseClient,
  database: string,
  table: string,
): Promise<TableShape> {
  const name = `${database}.${table}`;
  const found = await rows<{ engine: string; engine_full: string }>(
    client,
    "SELECT engine, engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}",
    { db: database, table },
  );
  if (found.length === 0) {
    throw new InputError(
      "bad-table",
      `there is no table ${name}: name the ClickHouse exporter's traces table with ?table= (default otel_traces) and its database in the path`,
    );
  }
  const columns = await rows<{ name: string; type: string }>(
    client,
    "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String}",
    { db: database, table },
  );
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const attributes = types.get("SpanAttributes");
  if (attributes !== undefined && /^(JSON|Object\()/.test(attributes)) {
    throw new InputError(
      "bad-table",
      `${name} was created with the ClickHouse exporter's json: true option (SpanAttributes is ${attributes}); trailcheck audits the Map columns the exporter writes by default: export with json: false (the default) into the table the audit reads`,
    );
  }
  for (const [column, type] of Object.entries(COLUMNS)) {
    const actual = types.get(column);
    if (actual === undefined || !type.test(actual)) {
      throw new InputError(
        "bad-table",
        `${name} is not the ClickHouse exporter's traces table: ${actual === undefined ? `it has no column ${column}` : `${column} is ${actual}`}`,
      );
    }
  }
  for (const column of ["SpanAttributes", "ResourceAttributes"]) {
    if (!MAP.test(types.get(column)!)) {
      throw new InputError(
        "bad-table",
        `${name}: ${column} is ${types.get(column)}, not Map(String, String)`,
      );
    }
  }

  const engine = found[0]!.engine;
  let storage: TableShape["storage"] = { database, table };
  let engineFull = found[0]!.engine_full;
  if (engine === "Distributed") {
    const target = distributedTarget(engineFull, database);
    const local = target
      ? await rows<{ engine_full: string }>(
          client,
          "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}",
          { db: target.database, table: target.table },
        )
      : [];
    storage = local.length > 0 ? target : null;
    engineFull = local[0]?.engine_full ?? "";
  }
  const defaults = await rows<{ value: string }>(
    client,
    "SELECT value FROM system.merge_tree_settings WHERE name = 'ttl_only_drop_parts'",
    {},
  );
  const lookupName = `${table}_trace_id_ts`;
  const lookup = await rows<{ name: string }>(
    client,
    "SELECT name FROM system.tables WHERE database = {db:String} AND name = {table:String}",
    { db: database, table: lookupName },
  );
  return {
    database,
    table,
    engine,
    storage,
    ttl: storage ? ttlOf(engineFull) : null,
    ttlOnlyDropParts: ttlOnlyDropParts(engineFull, defaults[0]?.value === "1"),
    lookup: lookup.length > 0 ? lookupName : null,
  };
}
