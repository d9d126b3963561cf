import type { BoolExpr } from "../pipeline/ottl/index.js";
import { printCondition } from "./ottl-print.js";

/**
 * Which records reach a stream: `all`, a routing table entry (its OTTL condition, parsed when trailcheck's
 * OTTL subset can), or a combination.
 */
export type Condition =
  | { type: "all" }
  | { type: "route"; router: string; index: number; text: string; expr?: BoolExpr }
  | { type: "and"; items: Condition[] }
  | { type: "or"; items: Condition[] }
  | { type: "not"; item: Condition };

export const ALL: Condition = { type: "all" };

export function and(...items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.type === "and" ? c.items : c.type === "all" ? [] : [c]));
  if (flat.length === 0) return ALL;
  return flat.length === 1 ? flat[0]! : { type: "and", items: flat };
}

export function or(...items: Condition[]): Condition {
  if (items.some((c) => c.type === "all")) return ALL;
  const flat = items.flatMap((c) => (c.type === "or" ? c.items : [c]));
  return flat.length === 1 ? flat[0]! : { type: "or", items: flat };
}

export function not(item: Condition): Condition {
  return { type: "not", item };
}

/** The condition as OTTL in the span context; an entry outside the subset is kept as written. */
export function printOttl(c: Condition): string {
  switch (c.type) {
    case "all":
      return "true";
    case "route":
      return c.expr ? printCondition(c.expr) : c.text;
    case "and":
      return c.items
        .map((i) => (i.type === "or" || i.type === "route" ? wrap(i) : printOttl(i)))
        .join(" and ");
    case "or":
      return c.items.map((i) => (i.type === "route" ? wrap(i) : printOttl(i))).join(" or ");
    case "not":
      return `not (${printOttl(c.item)})`;
  }
}

/** Parenthesised unless it is a single comparison. */
function wrap(c: Condition): string {
  const text = printOttl(c);
  if (c.type === "route" && c.expr && (c.expr.type === "compare" || c.expr.type === "value")) return text;
  return `(${text})`;
}
