import { InputError } from "../errors.js";
import type { BoolExpr, ValueExpr } from "../pipeline/ottl/index.js";
import { ALL, and, type Condition } from "./condition.js";
import type { CollectorConfig, Component, Pipeline } from "./read-config.js";
import { type RoutingTable, routedTo } from "./routing-connector.js";
import type { ConfigPath } from "./source-tree.js";

/** One way records travel from a receiver to an exporter. */
export interface StreamPath {
  /** Pipelines and the connectors between them, then the exporter: `traces`, `routing`, `traces/llm`, `otlp/llm`. */
  readonly hops: readonly string[];
  readonly pipelines: readonly Pipeline[];
  readonly exporter: Component;
  readonly condition: Condition;
  /** Set when one routing connector alone decides what enters: which of its routes, and whether only its defaults. */
  readonly via?: { router: string; routes: readonly number[]; defaultOnly: boolean };
}

export interface WalkReport {
  path: ConfigPath;
  construct: string;
  message: string;
}

/** Connectors that pass traces on unchanged. */
const PASS_THROUGH = new Set(["forward"]);
const CHANGES_ATTRIBUTES = new Set(["redaction", "attributes", "transform"]);
const CONTENT_FREE_POLICIES = new Set(["probabilistic", "always_sample"]);

function readsAttributes(e: BoolExpr | ValueExpr): boolean {
  switch (e.type) {
    case "or":
    case "and":
      return readsAttributes(e.left) || readsAttributes(e.right);
    case "not":
      return readsAttributes(e.expr);
    case "compare":
      return readsAttributes(e.left) || readsAttributes(e.right);
    case "value":
      return readsAttributes(e.expr);
    case "path":
      return e.path.kind === "attributes";
    case "call":
      return e.args.some(readsAttributes);
    case "list":
      return e.items.some(readsAttributes);
    case "literal":
      return false;
  }
}

/**
 * Walks every traces pipeline that receives from outside (a receiver, not a connector) through the
 * connectors it exports to, down to each exporter. Routing conditions are evaluated by the engine on the
 * record as it arrives, the collector evaluates them after the upstream processors: where those may
 * decide differently (attributes changed before the condition reads them, tail sampling deciding on the
 * whole trace), it is reported.
 */
export function walkPaths(
  config: CollectorConfig,
  tables: ReadonlyMap<string, RoutingTable>,
  report: (r: WalkReport) => void,
): StreamPath[] {
  const { connectors, processors } = config.components;
  const traces = config.pipelines.filter((p) => p.signal === "traces");
  const out: StreamPath[] = [];
  const walk = (
    p: Pipeline,
    hops: string[],
    pipelines: Pipeline[],
    condition: Condition,
    routers: NonNullable<StreamPath["via"]>[],
  ): void => {
    const path = [...pipelines, p];
    for (const id of p.exporters) {
      const connector = connectors.get(id);
      if (!connector) {
        const exporter = config.components.exporters.get(id)!;
        const via = routers.length === 1 && condition.type !== "all" ? routers[0] : undefined;
        out.push({
          hops: [...hops, p.id, id],
          pipelines: path,
          exporter,
          condition,
          ...(via ? { via } : {}),
        });
        continue;
      }
      const downstream = config.pipelines.filter((q) => q.receivers.includes(id));
      const table = tables.get(id);
      if (downstream.every((q) => q.signal !== "traces")) {
        report({
          path: connector.path,
          construct: `connectors.${id}`,
          message: `${connector.type} turns spans into ${[...new Set(downstream.map((q) => q.signal))].join(", ")}; no spans are stored through it`,
        });
      } else if (!table && !PASS_THROUGH.has(connector.type) && connector.type !== "failover") {
        report({
          path: connector.path,
          construct: `connectors.${id}`,
          message: `${connector.type} connector not modelled; it is treated as passing every span to ${downstream.map((q) => q.id).join(", ")}`,
        });
      }
      if (table) warnUpstream(table, path, processors, report);
      const healthy = connector.type === "failover" ? failoverFirstLevel(connector, config) : undefined;
      for (const q of downstream.filter((d) => d.signal === "traces")) {
        const routed = table ? routedTo(table, q.id) : ALL;
        if (!routed || (healthy && !healthy.has(q.id))) continue;
        const more = table
          ? [
              ...routers,
              {
                router: id,
                routes: table.routes.filter((r) => r.pipelines.includes(q.id)).map((r) => r.index),
                defaultOnly: !table.routes.some((r) => r.pipelines.includes(q.id)),
              },
            ]
          : routers;
        walk(q, [...hops, p.id, id], path, and(condition, routed), more);
      }
    }
  };
  for (const p of traces) {
    if (p.receivers.some((r) => !connectors.has(r))) walk(p, [], [], ALL, []);
  }
  return out;
}

/**
 * The pipelines a failover connector sends spans to while its exporters take them: every pipeline of
 * its first priority level, fanned out (failoverconnector config.go `priority_levels`, standard_mode.go
 * consumeByHealthyPipeline); a later level gets spans only after a level fails, which nothing in a
 * recorded trace tells. Without levels the collector refuses to start (errNoPipelinePriority).
 */
function failoverFirstLevel(connector: Component, config: CollectorConfig): ReadonlySet<string> {
  const levels = connector.settings.priority_levels;
  const first = Array.isArray(levels) ? levels[0] : undefined;
  if (!Array.isArray(first) || first.length === 0 || !first.every((p) => typeof p === "string")) {
    throw new InputError(
      "bad-otelcol-config",
      `connectors::${connector.id}: No pipelines are defined in the priority list`,
      config.source.locate([...connector.path, "priority_levels"]),
    );
  }
  return new Set(first as string[]);
}

function warnUpstream(
  table: RoutingTable,
  upstream: readonly Pipeline[],
  processors: ReadonlyMap<string, Component>,
  report: (r: WalkReport) => void,
): void {
  const readsAttrs = table.routes.some((r) => !r.atom.expr || readsAttributes(r.atom.expr));
  for (const p of upstream) {
    for (const pid of p.processors) {
      const c = processors.get(pid)!;
      const path = ["service", "pipelines", p.id, "processors", p.processors.indexOf(pid)];
      if (CHANGES_ATTRIBUTES.has(c.type) && readsAttrs) {
        report({
          path,
          construct: `${table.id}.after.${pid}`,
          message: `${table.id} evaluates its conditions after ${pid}, which may change the attributes they read; trailcheck evaluates them on the spans as emitted`,
        });
      }
      if (c.type === "tail_sampling") {
        const policies = Array.isArray(c.settings.policies)
          ? (c.settings.policies as { type?: unknown }[])
          : [];
        if (policies.some((pol) => !CONTENT_FREE_POLICIES.has(String(pol?.type)))) {
          report({
            path,
            construct: `${table.id}.after.${pid}`,
            message: `${pid} decides on the whole trace before ${table.id} splits it; trailcheck applies it to each routed stream's spans, so content-based policies may decide differently`,
          });
        }
      }
    }
  }
}
