import type { AttributeValue } from "../../model/attributes.js";
import type { SpanEvent, SpanRecord } from "../../model/record.js";
import type { BoolExpr, CompareOp, OttlValue, PathRef, ValueExpr } from "./ast.js";

/** What an expression is evaluated against: the span (as it is now), and the span event in that context. */
export interface OttlEnv {
  readonly record: SpanRecord;
  readonly event?: SpanEvent;
}

/** An expression that fails at run time (a path that does not exist in the context, a non-boolean condition). */
export class OttlRuntimeError extends Error {
  readonly code = "ottl-runtime";
  constructor(message: string) {
    super(message);
    this.name = "OttlRuntimeError";
  }
}

const STATUS_CODES: Record<string, number> = { unset: 0, ok: 1, error: 2 };

/** The attribute map a path's entity holds. */
export function attributeMap(
  of: "span" | "spanevent" | "resource" | "scope",
  env: OttlEnv,
): Record<string, AttributeValue> {
  switch (of) {
    case "span":
      return env.record.attributes;
    case "resource":
      return env.record.resource;
    case "spanevent":
      if (!env.event) throw new OttlRuntimeError("span event path outside the spanevent context");
      return env.event.attributes;
    default:
      throw new OttlRuntimeError("instrumentation scope attributes are not in the record model");
  }
}

export function readPath(path: PathRef, env: OttlEnv): OttlValue {
  switch (path.kind) {
    case "attributes": {
      let v: OttlValue | undefined = attributeMap(path.of, env) as OttlValue;
      for (const key of path.keys) {
        if (v === null || v === undefined || typeof v !== "object") return null;
        v = Array.isArray(v)
          ? typeof key === "number"
            ? v[key]
            : undefined
          : (v as Record<string, OttlValue>)[String(key)];
      }
      return v ?? null;
    }
    case "name":
      if (path.of === "spanevent") {
        if (!env.event) throw new OttlRuntimeError("span event path outside the spanevent context");
        return env.event.name;
      }
      return path.of === "scope" ? (env.record.scope?.name ?? "") : env.record.name;
    case "kind":
      return env.record.spanKind;
    case "status.code":
      return STATUS_CODES[env.record.status.code] ?? 0;
    case "status.message":
      return env.record.status.message ?? "";
    case "scope.version":
      return env.record.scope?.version ?? "";
    case "id":
      return env.record[path.field] ?? "";
  }
}

/** A value as OTTL's string-like getters render it. */
export function stringLike(v: OttlValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function evaluateValue(expr: ValueExpr, env: OttlEnv): OttlValue {
  switch (expr.type) {
    case "literal":
      return expr.value;
    case "path":
      return readPath(expr.path, env);
    case "list":
      return expr.items.map((i) => evaluateValue(i, env));
    case "call": {
      const v = evaluateValue(expr.args[0]!, env);
      switch (expr.name) {
        case "IsMatch": {
          const s = stringLike(v);
          return s !== undefined && expr.regex!.test(s);
        }
        case "IsString":
          return typeof v === "string";
        case "IsInt":
          return typeof v === "number" && Number.isInteger(v);
        case "IsDouble":
          return typeof v === "number" && !Number.isInteger(v);
        case "IsBool":
          return typeof v === "boolean";
        case "IsMap":
          return v !== null && typeof v === "object" && !Array.isArray(v);
        case "IsList":
          return Array.isArray(v);
      }
      throw new OttlRuntimeError(`unsupported function ${expr.name}`);
    }
  }
}

function deepEqual(a: OttlValue, b: OttlValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function ordered<T extends number | string>(a: T, b: T, op: CompareOp): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/**
 * OTTL comparison: nil equals only nil; numbers compare numerically (ints and floats alike); strings
 * lexically; booleans with false < true; maps and lists only for (in)equality; values of different
 * types are unequal and never ordered.
 */
export function compare(a: OttlValue, b: OttlValue, op: CompareOp): boolean {
  if (a === null || b === null) {
    if (op === "==") return a === b;
    if (op === "!=") return a !== b;
    return false;
  }
  if (typeof a === "number" && typeof b === "number") return ordered(a, b, op);
  if (typeof a === "string" && typeof b === "string") return ordered(a, b, op);
  if (typeof a === "boolean" && typeof b === "boolean") return ordered(Number(a), Number(b), op);
  if (typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    if (op === "==") return deepEqual(a, b);
    if (op === "!=") return !deepEqual(a, b);
    return false;
  }
  return op === "!=";
}

export function evaluateCondition(expr: BoolExpr, env: OttlEnv): boolean {
  switch (expr.type) {
    case "or":
      return evaluateCondition(expr.left, env) || evaluateCondition(expr.right, env);
    case "and":
      return evaluateCondition(expr.left, env) && evaluateCondition(expr.right, env);
    case "not":
      return !evaluateCondition(expr.expr, env);
    case "compare":
      return compare(evaluateValue(expr.left, env), evaluateValue(expr.right, env), expr.op);
    case "value": {
      const v = evaluateValue(expr.expr, env);
      if (typeof v !== "boolean") throw new OttlRuntimeError("condition does not evaluate to a boolean");
      return v;
    }
  }
}
