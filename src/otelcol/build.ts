import { formatLocation, InputError } from "../errors.js";
import { type LoggingConfig, LoggingConfigSchema, type Stream } from "../model/logging-config.js";
import type { Processor } from "../model/processors.js";
import { carryTypesDeep } from "../model/value-types.js";
import { findConfigRefusal } from "../pipeline/check-config.js";
import { printOttl } from "./condition.js";
import { nativeMatch } from "./native-match.js";
import { type StreamPath, walkPaths } from "./paths.js";
import { translateProcessor } from "./processor-entry.js";
import type { CollectorConfig } from "./read-config.js";
import { type RoutingTable, readRoutingTable } from "./routing-connector.js";
import type { ConfigPath } from "./source-tree.js";
import { readStore, type StorageFile } from "./storage.js";
import type { OtelcolUnknown, PipelineInfo, ProcessorOrigin, StreamOrigin } from "./types.js";

export interface BuildResult {
  readonly config: LoggingConfig;
  readonly unknown: OtelcolUnknown[];
  readonly pipelines: PipelineInfo[];
  readonly streams: StreamOrigin[];
}

/** A routing connector's default pipelines can be a native `default: true` stream only when its routes are all the other streams. */
function defaultIsNative(table: RoutingTable, paths: readonly StreamPath[]): boolean {
  if (table.routes.some((r) => r.pipelines.some((p) => table.defaults.includes(p)))) return false;
  if (!paths.every((p) => p.via?.router === table.id)) return false;
  const covered = new Set(paths.flatMap((p) => p.via!.routes));
  return table.routes.every((r) => covered.has(r.index));
}

function streamMatch(
  path: StreamPath,
  tables: ReadonlyMap<string, RoutingTable>,
  all: readonly StreamPath[],
) {
  if (path.condition.type === "all") return {};
  if (path.via?.defaultOnly && defaultIsNative(tables.get(path.via.router)!, all)) return { default: true };
  return nativeMatch(path.condition) ?? { ottl: printOttl(path.condition) };
}

/**
 * Builds the engine's logging config from a read collector config: one stream per path from a receiver
 * to an exporter (through forward and routing connectors), with the processors of every pipeline on the
 * path in order, a match derived from the routing conditions, and the exporter's storage facts.
 */
export function buildLoggingConfig(cc: CollectorConfig, storage: StorageFile | undefined): BuildResult {
  const unknown: OtelcolUnknown[] = [];
  const seen = new Set<string>();
  const add = (path: ConfigPath, construct: string, message: string, stage = "otelcol") => {
    if (seen.has(`${construct}\n${message}`)) return;
    seen.add(`${construct}\n${message}`);
    const location = cc.source.locate(path);
    unknown.push({ stage, construct, message: `${formatLocation(location)}: ${message}`, location });
  };
  for (const note of cc.expansion) add(note.path, note.reference, note.message);

  const tables = new Map<string, RoutingTable>();
  for (const [id, c] of cc.components.connectors) {
    const feeds = cc.pipelines.filter((p) => p.signal === "traces" && p.exporters.includes(id));
    if (c.type !== "routing" || feeds.length === 0) continue;
    const receivers = cc.pipelines.filter((p) => p.receivers.includes(id)).map((p) => p.id);
    const table = readRoutingTable(c, receivers, cc.source);
    for (const u of table.unknown) add(u.path, u.construct, u.message);
    tables.set(id, table);
  }
  const paths = walkPaths(cc, tables, (r) => add(r.path, r.construct, r.message));

  const entries = cc.pipelines.filter(
    (p) => p.signal === "traces" && p.receivers.some((r) => !cc.components.connectors.has(r)),
  );
  const receiverSets = new Set(
    entries.map((p) =>
      p.receivers
        .filter((r) => !cc.components.connectors.has(r))
        .sort()
        .join(","),
    ),
  );
  if (receiverSets.size > 1) {
    add(
      ["service", "pipelines"],
      "receivers",
      `traces pipelines receive from different receivers (${[...receiverSets].join(" / ")}); every span is assumed to reach every one of them`,
    );
  }

  const translated = new Map<string, Processor | undefined>();
  const processorFor = (id: string): Processor | undefined => {
    if (!translated.has(id)) {
      const c = cc.components.processors.get(id)!;
      const t = translateProcessor(c, cc.source);
      if (!t.ok) add(c.path, `processors.${id}`, t.message);
      translated.set(id, t.ok ? t.processor : undefined);
    }
    return translated.get(id);
  };

  const streams: Stream[] = [];
  const origins: StreamOrigin[] = [];
  for (const path of paths) {
    const name = path.hops.join(">");
    const processors: Processor[] = [];
    const from: ProcessorOrigin[] = [];
    for (const p of path.pipelines) {
      p.processors.forEach((id, i) => {
        const entry = processorFor(id);
        if (!entry) return;
        processors.push(entry);
        from.push({
          id,
          pipeline: p.id,
          location: cc.source.locate(["service", "pipelines", p.id, "processors", i]),
        });
      });
    }
    const exporter = path.exporter;
    const store = readStore(exporter, storage?.exporters[exporter.id]);
    for (const [setting, message] of store.unknown) {
      add(
        [...exporter.path, ...(setting === "retention" ? [] : [setting])],
        `exporters.${exporter.id}.${setting}`,
        message,
      );
    }
    streams.push({
      name,
      match: streamMatch(path, tables, paths),
      processors,
      ...store.fields,
    } as Stream);
    origins.push({
      name,
      path: path.pipelines.map((p) => p.id),
      exporter: exporter.id,
      processors: from,
      ...(path.condition.type !== "all" ? { condition: printOttl(path.condition) } : {}),
      notes: store.notes,
    });
  }

  for (const id of Object.keys(storage?.exporters ?? {})) {
    if (!cc.components.exporters.has(id)) {
      add(
        [],
        `storage.exporters.${id}`,
        `the storage file describes exporter "${id}", which the collector config does not define; the entry is unused`,
        "storage",
      );
    }
  }
  if (streams.length === 0) {
    throw new InputError(
      "otelcol-no-traces",
      "no traces pipeline of the collector config reaches an exporter: there is nothing to check",
      cc.source.locate(["service", "pipelines"]),
    );
  }
  const pipelines: PipelineInfo[] = cc.pipelines.map((p) => ({
    id: p.id,
    signal: p.signal,
    receivers: p.receivers,
    processors: p.processors,
    exporters: p.exporters,
    modelled: p.signal === "traces",
    streams: origins.filter((o) => o.path.includes(p.id)).map((o) => o.name),
    location: cc.source.locate(p.path),
  }));
  const input = {
    streams,
    ...(storage?.sdk ? { sdk: storage.sdk } : {}),
    ...(storage?.compliance !== undefined ? { compliance: storage.compliance } : {}),
  };
  const config = LoggingConfigSchema.parse(input);
  carryTypesDeep(input, config);
  refuseAsTheCollectorWould(config, origins, cc);
  return { config, unknown, pipelines, streams: origins };
}

/**
 * Settings the collector refuses when it starts (a pattern Go's regexp rejects, a tail-sampling policy
 * without a name…), reported where the processor or routing table that holds them is written.
 */
function refuseAsTheCollectorWould(
  config: LoggingConfig,
  origins: StreamOrigin[],
  cc: CollectorConfig,
): void {
  const refusal = findConfigRefusal(config);
  if (!refusal) return;
  const stream = origins[refusal.path[1] as number]!;
  const processor =
    refusal.path[2] === "processors" ? stream.processors[refusal.path[3] as number] : undefined;
  // Under the processor's type come its settings, written the same way in the collector config.
  const path: ConfigPath = processor
    ? ["processors", processor.id, ...refusal.path.slice(5)]
    : ["service", "pipelines", stream.path[0]!];
  const where = processor ? `processors::${processor.id}` : `service::pipelines::${stream.path[0]}`;
  throw new InputError("bad-otelcol-config", `${where}: ${refusal.message}`, cc.source.locate(path));
}
