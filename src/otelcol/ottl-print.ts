import type { BoolExpr, OttlValue, PathRef, ValueExpr } from "../pipeline/ottl/index.js";

function literal(v: OttlValue): string {
  if (v === null) return "nil";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function keys(k: readonly (string | number)[]): string {
  return k.map((key) => `[${typeof key === "number" ? key : JSON.stringify(key)}]`).join("");
}

const ENTITY = { span: "", spanevent: "spanevent.", resource: "resource.", scope: "instrumentation_scope." };
const ID_PATH = {
  traceId: "trace_id.string",
  spanId: "span_id.string",
  parentSpanId: "parent_span_id.string",
};

/** A path written for the span context, whatever context it was parsed in. */
function path(p: PathRef): string {
  switch (p.kind) {
    case "attributes":
      return `${ENTITY[p.of]}attributes${keys(p.keys)}`;
    case "name":
      return `${ENTITY[p.of]}name`;
    case "scope.version":
      return "instrumentation_scope.version";
    case "id":
      return ID_PATH[p.field];
    default:
      return p.kind;
  }
}

function value(e: ValueExpr): string {
  switch (e.type) {
    case "literal":
      return literal(e.value);
    case "path":
      return path(e.path);
    case "call":
      return `${e.name}(${e.args.map(value).join(", ")})`;
    case "list":
      return `[${e.items.map(value).join(", ")}]`;
  }
}

/**
 * Writes a parsed condition back as OTTL in the span context: a condition of the routing connector's
 * `resource` context (`attributes["service.name"] == "a"`) reads `resource.attributes[…]` here.
 */
export function printCondition(e: BoolExpr): string {
  switch (e.type) {
    case "or":
      return `${printCondition(e.left)} or ${printCondition(e.right)}`;
    case "and":
      return `${group(e.left)} and ${group(e.right)}`;
    case "not":
      return `not (${printCondition(e.expr)})`;
    case "compare":
      return `${value(e.left)} ${e.op} ${value(e.right)}`;
    case "value":
      return value(e.expr);
  }
}

function group(e: BoolExpr): string {
  return e.type === "or" ? `(${printCondition(e)})` : printCondition(e);
}
