import { InputError, type Location } from "../errors.js";
import { type OttlContext, OttlRefusal, safeParseCondition } from "../pipeline/ottl/index.js";
import { and, type Condition, not, or } from "./condition.js";
import type { Component } from "./read-config.js";
import { type ConfigPath, isPlainMap, type MergedSource } from "./source-tree.js";

/** A routing table entry, with its condition as a condition atom. */
export interface Route {
  readonly index: number;
  readonly atom: Extract<Condition, { type: "route" }>;
  readonly pipelines: readonly string[];
}

export interface RoutingTable {
  readonly id: string;
  readonly routes: readonly Route[];
  readonly defaults: readonly string[];
  /** Conditions outside trailcheck's OTTL subset, and contexts it can't see. */
  readonly unknown: readonly { path: ConfigPath; construct: string; message: string }[];
}

const CONTEXTS = new Set(["", "resource", "span", "metric", "datapoint", "log", "request"]);
const ROUTE_WHERE = /^\s*route\(\s*\)\s*(?:where\s+([\s\S]+))?$/;

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

/**
 * Reads a `routing` connector (collector-contrib `connector/routingconnector`) of traces pipelines and
 * checks it as its `Validate` does. Every record goes to the first route whose condition holds (match
 * once, the only behaviour since v0.120), else to `default_pipelines`.
 */
export function readRoutingTable(
  c: Component,
  receivers: readonly string[],
  source: MergedSource,
): RoutingTable {
  const fail = (message: string, path: ConfigPath): never => {
    throw new InputError(
      "bad-otelcol-config",
      `connectors::${c.id}: ${message}`,
      source.locate(path) as Location,
    );
  };
  const s = c.settings;
  const table = s.table;
  if (!Array.isArray(table) || table.length === 0)
    fail("invalid routing table: the routing table is empty", c.path);
  const mode = s.error_mode;
  if (mode !== undefined && mode !== null && !["propagate", "ignore", "silent"].includes(String(mode))) {
    fail(`invalid error_mode "${String(mode)}": expected propagate, ignore or silent`, [
      ...c.path,
      "error_mode",
    ]);
  }
  const checkPipelines = (list: string[] | undefined, path: ConfigPath): string[] => {
    if (!list) return fail("expected a list of pipeline ids", path);
    list.forEach((p, i) => {
      if (!receivers.includes(p)) {
        fail(`pipeline "${p}" does not list this connector among its receivers`, [...path, i]);
      }
    });
    return list;
  };
  const unknown: RoutingTable["unknown"][number][] = [];
  const routes = (table as unknown[]).map((raw, index): Route => {
    const path = [...c.path, "table", index];
    if (!isPlainMap(raw)) return fail("invalid route: expected a map", path);
    const condition = typeof raw.condition === "string" ? raw.condition : "";
    const statement = typeof raw.statement === "string" ? raw.statement : "";
    if (!condition && !statement) fail("invalid route: no condition or statement provided", path);
    if (condition && statement) fail("invalid route: both condition and statement provided", path);
    const pipelines = checkPipelines(stringList(raw.pipelines), [...path, "pipelines"]);
    if (pipelines.length === 0) fail("invalid route: no pipelines defined", path);
    const context = typeof raw.context === "string" ? raw.context : "";
    if (!CONTEXTS.has(context)) fail(`invalid context: ${context}`, [...path, "context"]);
    if (["metric", "datapoint", "log"].includes(context)) {
      fail(`the "${context}" context can't route traces`, [...path, "context"]);
    }
    if (context === "request" && !condition) fail(`"request" context requires a 'condition'`, path);
    const field = condition ? "condition" : "statement";
    let text = condition;
    if (statement) {
      const m = ROUTE_WHERE.exec(statement);
      if (!m) fail(`statement "${statement}" is not a route() statement`, [...path, "statement"]);
      text = m![1]?.trim() ?? "true";
    }
    const atom: Route["atom"] = { type: "route", router: c.id, index, text };
    if (context === "request") {
      unknown.push({
        path: [...path, field],
        construct: `${c.id}.table[${index}]`,
        message: `routes on request metadata (${text}), which recorded spans don't carry; which records take this route is unknown`,
      });
      return { index, atom, pipelines };
    }
    const ottlContext: OttlContext = context === "span" ? "span" : "resource";
    const parsed = safeParseCondition(text, ottlContext);
    if (parsed.ok) return { index, atom: { ...atom, expr: parsed.condition }, pipelines };
    if (parsed.error instanceof OttlRefusal) fail(`${parsed.error.message} in "${text}"`, [...path, field]);
    unknown.push({
      path: [...path, field],
      construct: `${c.id}.table[${index}]`,
      message: `OTTL outside trailcheck's subset (${parsed.error.message}) in "${text}"; which records take this route is unknown`,
    });
    return { index, atom, pipelines };
  });
  const defaults = checkPipelines(stringList(s.default_pipelines), [...c.path, "default_pipelines"]);
  return { id: c.id, routes, defaults, unknown };
}

/** Records the table sends to `pipeline`: the first route that holds, or none (then the defaults). */
export function routedTo(table: RoutingTable, pipeline: string): Condition | undefined {
  const parts: Condition[] = [];
  const earlier: Condition[] = [];
  for (const r of table.routes) {
    if (r.pipelines.includes(pipeline)) parts.push(and(r.atom, ...earlier.map(not)));
    earlier.push(r.atom);
  }
  if (table.defaults.includes(pipeline)) parts.push(and(...earlier.map(not)));
  return parts.length === 0 ? undefined : or(...parts);
}
