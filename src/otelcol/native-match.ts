import type { AttributeValue } from "../model/attributes.js";
import type { BoolExpr, ValueExpr } from "../pipeline/ottl/index.js";
import type { Condition } from "./condition.js";

/** The part of a native stream match a condition can be written in: attribute equality and a name regex. */
interface Native {
  attributes: Map<string, AttributeValue[]>;
  name?: string;
}

const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

function spanAttributeKey(e: ValueExpr): string | undefined {
  if (e.type !== "path" || e.path.kind !== "attributes" || e.path.of !== "span") return undefined;
  const [key, ...more] = e.path.keys;
  return typeof key === "string" && more.length === 0 ? key : undefined;
}

function scalar(e: ValueExpr): AttributeValue | undefined {
  if (e.type !== "literal") return undefined;
  const v = e.value;
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
}

const isSpanName = (e: ValueExpr) => e.type === "path" && e.path.kind === "name" && e.path.of === "span";

function fromExpr(e: BoolExpr): Native | undefined {
  switch (e.type) {
    case "compare": {
      if (e.op !== "==") return undefined;
      for (const [l, r] of [
        [e.left, e.right],
        [e.right, e.left],
      ] as const) {
        const key = spanAttributeKey(l);
        const v = scalar(r);
        if (key !== undefined && v !== undefined) return { attributes: new Map([[key, [v]]]) };
        if (isSpanName(l) && typeof v === "string") {
          return { attributes: new Map(), name: `^${v.replace(REGEX_META, "\\$&")}$` };
        }
      }
      return undefined;
    }
    case "value": {
      const call = e.expr;
      if (call.type !== "call" || call.name !== "IsMatch" || !isSpanName(call.args[0]!)) return undefined;
      const pattern = scalar(call.args[1]!);
      return typeof pattern === "string" ? { attributes: new Map(), name: pattern } : undefined;
    }
    case "and": {
      const l = fromExpr(e.left);
      const r = fromExpr(e.right);
      return l && r ? merge([l, r]) : undefined;
    }
    case "or": {
      const l = fromExpr(e.left);
      const r = fromExpr(e.right);
      return l && r ? union(l, r) : undefined;
    }
    case "not":
      return undefined;
  }
}

/** Both must hold: attribute constraints intersect; at most one name regex. */
function merge(items: Native[]): Native | undefined {
  const attributes = new Map<string, AttributeValue[]>();
  let name: string | undefined;
  for (const n of items) {
    if (n.name !== undefined) {
      if (name !== undefined) return undefined;
      name = n.name;
    }
    for (const [k, values] of n.attributes) {
      const prev = attributes.get(k);
      const next = prev ? prev.filter((v) => values.includes(v)) : values;
      if (next.length === 0) return undefined;
      attributes.set(k, next);
    }
  }
  return name === undefined ? { attributes } : { attributes, name };
}

/** Either holds: only equalities on one and the same key combine into a list of accepted values. */
function union(a: Native, b: Native): Native | undefined {
  if (a.name !== undefined || b.name !== undefined || a.attributes.size !== 1 || b.attributes.size !== 1) {
    return undefined;
  }
  const [ka, va] = [...a.attributes][0]!;
  const [kb, vb] = [...b.attributes][0]!;
  if (ka !== kb) return undefined;
  return { attributes: new Map([[ka, [...new Set([...va, ...vb])]]]) };
}

/** No record can satisfy both: some key must equal values the other never accepts. */
function disjoint(a: Native, b: Native): boolean {
  for (const [k, values] of a.attributes) {
    const other = b.attributes.get(k);
    if (other && !values.some((v) => other.includes(v))) return true;
  }
  return false;
}

function fromCondition(c: Condition): Native | undefined {
  switch (c.type) {
    case "all":
      return { attributes: new Map() };
    case "route":
      return c.expr ? fromExpr(c.expr) : undefined;
    case "or": {
      const parts = c.items.map(fromCondition);
      if (parts.some((p) => p === undefined)) return undefined;
      return parts.slice(1).reduce<Native | undefined>((acc, p) => acc && union(acc, p!), parts[0]);
    }
    case "not":
      return undefined;
    case "and": {
      const positive = c.items.filter((i) => i.type !== "not").map(fromCondition);
      if (positive.some((p) => p === undefined)) return undefined;
      const merged = merge(positive as Native[]);
      if (!merged) return undefined;
      // `not earlier-route` adds nothing when the earlier route can't match what this one matches.
      for (const i of c.items) {
        if (i.type !== "not") continue;
        const excluded = fromCondition(i.item);
        if (!excluded || !disjoint(merged, excluded)) return undefined;
      }
      return merged;
    }
  }
}

/** The native `match` equivalent to a condition, or undefined when only OTTL can say it. */
export function nativeMatch(
  c: Condition,
): { attributes?: Record<string, AttributeValue | AttributeValue[]>; name?: string } | undefined {
  const n = fromCondition(c);
  if (!n) return undefined;
  const out: { attributes?: Record<string, AttributeValue | AttributeValue[]>; name?: string } = {};
  if (n.attributes.size > 0) {
    out.attributes = Object.fromEntries(
      [...n.attributes].map(([k, v]) => [k, v.length === 1 ? v[0]! : v] as const),
    );
  }
  if (n.name !== undefined) out.name = n.name;
  return out;
}
