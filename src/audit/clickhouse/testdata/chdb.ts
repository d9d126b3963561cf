import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import type { SpanRecord } from "../../../model/record.js";
import { connect } from "../connect.js";
import { exporterRow } from "../exporter-rows.js";
import { ident } from "../sql.js";

const TESTDATA = new URL("./", import.meta.url);

export interface DdlOptions {
  readonly database: string;
  /** The traces table; the lookup table and view are named after it, as the exporter names them. */
  readonly table?: string;
  /** The exporter's `ttl` as the TTL clause it renders, e.g. `TTL toDateTime(Timestamp) + toIntervalDay(30)`. */
  readonly ttlDays?: number;
  readonly fullTextSearch?: boolean;
}

/** Fills the exporter's Go template (`{{ident .Database}}`, `{{.Engine}}`, `{{- if .HasFullTextSearch}}` …). */
function template(text: string, data: Record<string, string | boolean>): string {
  let out = text.replace(
    /\{\{-? ?if \.(\w+)\}\}([\s\S]*?)\{\{-? ?else\}\}([\s\S]*?)\{\{-? ?end\}\}/g,
    (_, flag: string, yes: string, no: string) => (data[flag] ? yes : no),
  );
  out = out.replace(/\{\{ident \.(\w+)\}\}/g, (_, k: string) => ident(String(data[k])));
  return out.replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => String(data[k] ?? ""));
}

/** Fills the exporter's older `fmt` placeholders (`%s`), in order. */
function sprintf(text: string, args: readonly string[]): string {
  let i = 0;
  return text.replace(/%s/g, () => args[i++] ?? "");
}

/** The statements the exporter runs to create its traces tables (`createTraceTables`). */
export function exporterDdl(options: DdlOptions): string[] {
  const read = (name: string) => readFileSync(new URL(name, TESTDATA), "utf8");
  const table = options.table ?? "otel_traces";
  const ttl = (column: string) =>
    options.ttlDays ? `TTL toDateTime(${column}) + toIntervalDay(${options.ttlDays})` : "";
  return [
    template(read("traces_table.sql"), {
      Database: options.database,
      TableName: table,
      ClusterString: "",
      Engine: "MergeTree()",
      TTL: ttl("Timestamp"),
      HasFullTextSearch: options.fullTextSearch ?? false,
    }),
    template(read("traces_id_ts_lookup_table.sql"), {
      Database: options.database,
      TableName: `${table}_trace_id_ts`,
      ClusterString: "",
      Engine: "AggregatingMergeTree()",
      TTL: ttl("Start"),
    }),
    sprintf(read("traces_id_ts_lookup_mv.sql"), [
      options.database,
      table,
      "",
      options.database,
      table,
      options.database,
      table,
    ]),
  ];
}

/** The table the exporter creates with `json: true`. */
export function exporterJsonDdl(database: string, table = "otel_traces"): string {
  const text = readFileSync(new URL("traces_json_table.sql", TESTDATA), "utf8");
  return sprintf(text, [database, table, "", "MergeTree()", ""]);
}

/** Creates the database and the exporter's tables in it. */
export async function createExporterTables(client: ClickHouseClient, options: DdlOptions): Promise<void> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${ident(options.database)}` });
  for (const query of exporterDdl(options)) await client.command({ query });
}

/** Inserts records as the exporter writes them. */
export async function insertRecords(
  client: ClickHouseClient,
  database: string,
  records: Iterable<SpanRecord>,
  table = "otel_traces",
): Promise<void> {
  const values = [...records].map(exporterRow);
  if (values.length === 0) return;
  await client.insert({
    table: `${ident(database)}.${ident(table)}`,
    values,
    format: "JSONEachRow",
    clickhouse_settings: { date_time_input_format: "best_effort" },
  });
}

/** A chdb data directory in a temporary folder and a client on it, for one test file. */
export async function openTestChdb(): Promise<{
  client: ClickHouseClient;
  dir: string;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "trailcheck-chdb-"));
  const client = await connect({ kind: "chdb", path: dir, database: "default", table: "otel_traces" });
  return {
    client,
    dir,
    close: async () => {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
