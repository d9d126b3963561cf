import type { AttributeValue } from "../../model/attributes.js";
import type { SpanEvent, SpanRecord } from "../../model/record.js";
import { hiddenTypeOf, noteType, plainType, type ValueType, valueType } from "../../model/value-types.js";
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

type Container = Record<string, AttributeValue> | AttributeValue[];

/**
 * The map or list that holds an indexed attribute path's value, and its key there, following the keys
 * as the collector's ctxutil GetMapValue / GetSliceValue do: a missing map key is nil (undefined here,
 * and the path ends), but a string key into a value that is not a map, an integer key into one that is
 * not a list, or an index out of bounds is an error ("type Str does not support string indexing",
 * "index 1 out of bounds"), which the processor's error_mode settles.
 */
function locate(
  path: PathRef & { kind: "attributes" },
  env: OttlEnv,
): [Container, string | number] | undefined {
  let container: Container = attributeMap(path.of, env);
  const last = path.keys.length - 1;
  for (let i = 0; ; i++) {
    const key = path.keys[i]!;
    if (Array.isArray(container)) {
      if (typeof key !== "number") throw new OttlRuntimeError("type Slice does not support string indexing");
      if (key < 0 || key >= container.length) throw new OttlRuntimeError(`index ${key} out of bounds`);
    } else {
      if (typeof key === "number") throw new OttlRuntimeError("type Map does not support int indexing");
      if (!Object.hasOwn(container, key)) return undefined;
    }
    if (i === last) return [container, key];
    const next = entry(container, key);
    if (next === null || next === undefined) return undefined;
    if (typeof next !== "object") {
      const how = typeof path.keys[i + 1] === "number" ? "int" : "string";
      throw new OttlRuntimeError(`type ${valueType(container, key)} does not support ${how} indexing`);
    }
    container = next;
  }
}

function entry(container: Container, key: string | number): AttributeValue | undefined {
  if (Array.isArray(container)) return container[Number(key)];
  return container[String(key)];
}

export function readPath(path: PathRef, env: OttlEnv): OttlValue {
  switch (path.kind) {
    case "attributes": {
      if (path.keys.length === 0) return attributeMap(path.of, env) as OttlValue;
      const at = locate(path, env);
      return at ? ((entry(at[0], at[1]) ?? null) as OttlValue) : null;
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

/** A value as OTTL's string-like getters render it (StringLikeGetter: bytes as hex). */
export function stringLike(v: OttlValue, type: ValueType = plainType(v)): string | undefined {
  if (v === null) return undefined;
  if (type === "Bytes" && typeof v === "string") return Buffer.from(v, "base64").toString("hex");
  if (typeof v === "string") return v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * The pdata type of what an expression gives: an attribute path's value by the type noted at ingest
 * (value-types.ts), anything else by its plain form.
 */
export function typeOf(expr: ValueExpr, v: OttlValue, env: OttlEnv): ValueType {
  if (expr.type === "path" && expr.path.kind === "attributes" && expr.path.keys.length > 0) {
    const at = locate(expr.path, env);
    return at ? valueType(at[0], at[1]) : "Empty";
  }
  if (expr.type === "literal" && expr.double) return "Double";
  if (expr.type === "literal" && expr.int64) return "Int";
  return plainType(v);
}

/** A comparison operand: an int64 beyond 2^53 as a bigint, bytes as bytes (never equal to a string). */
type Operand = OttlValue | bigint | Uint8Array;

function operand(expr: ValueExpr, env: OttlEnv): Operand {
  const v = evaluateValue(expr, env);
  if (expr.type === "literal" && expr.int64) return BigInt(v as string);
  if (typeof v !== "string" || expr.type !== "path") return v;
  const type = typeOf(expr, v, env);
  if (type === "Int") return BigInt(v);
  if (type === "Bytes") return Buffer.from(v, "base64");
  if (type === "Double") return Number(v); // NaN and the infinities, spelt as strings in the record
  return v;
}

export function evaluateValue(expr: ValueExpr, env: OttlEnv): OttlValue {
  switch (expr.type) {
    case "literal":
      return expr.value;
    case "path":
      return readPath(expr.path, env);
    case "list": {
      // The items keep their types (a `5.0` is a float64, an int64 beyond 2^53 exact) for a set()
      // that writes the list and for comparisons, which compare the types too.
      const items = expr.items.map((i) => evaluateValue(i, env));
      expr.items.forEach((item, i) => {
        const hidden = hiddenTypeOf(typeOf(item, items[i]!, env), items[i] as AttributeValue);
        if (hidden) noteType(items as AttributeValue[], i, hidden);
      });
      return items;
    }
    case "call": {
      const arg = expr.args[0]!;
      const v = evaluateValue(arg, env);
      // By the value's pdata type, as ottlfuncs' IsString/IsInt/IsDouble/... type-switch on what the
      // getter returns (string, int64, float64, []byte, pcommon.Map, pcommon.Slice).
      const type = typeOf(arg, v, env);
      switch (expr.name) {
        case "IsMatch": {
          const s = stringLike(v, type);
          return s !== undefined && expr.regex!.test(s);
        }
        case "IsString":
          return type === "Str";
        case "IsInt":
          return type === "Int";
        case "IsDouble":
          return type === "Double";
        case "IsBool":
          return type === "Bool";
        case "IsMap":
          return type === "Map";
        case "IsList":
          return type === "Slice";
      }
      throw new OttlRuntimeError(`unsupported function ${expr.name}`);
    }
  }
}

/**
 * pcommon's Map.Equal / Slice.Equal (and reflect.DeepEqual of their AsRaw, for a list literal): maps
 * whatever the order of their keys, lists in order, each entry equal in pdata type and value — a map
 * holding the double 2.0 is not equal to one holding the int 2 (Value.Equal compares Type() first).
 */
function deepEqual(a: Container, b: Container): boolean {
  if (a === b) return true;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    if (!Object.hasOwn(b, k)) return false;
    const type = valueType(a, k);
    if (type !== valueType(b, k)) return false;
    const x = entry(a, k);
    const y = entry(b, k);
    if (type === "Map" || type === "Slice") return deepEqual(x as Container, y as Container);
    if (type === "Double") return Number(x) === Number(y); // NaN is unequal to itself, as in Go
    return x === y;
  });
}

/** A numeric operand as a bigint where it is integral (exact against int64), else as it is. */
function numeric(v: Operand): number | bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v !== "number") return undefined;
  return Number.isInteger(v) ? BigInt(v) : v;
}

function ordered<T extends number | string | bigint>(a: T, b: T, op: CompareOp): boolean {
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
 * OTTL comparison (pkg/ottl compare.go): nil equals only nil, and nil <= nil, nil >= nil hold too;
 * numbers compare numerically (ints and floats alike); strings lexically; booleans with false < true;
 * maps and lists only for (in)equality; values of different types are unequal and never ordered.
 */
export function compare(a: Operand, b: Operand, op: CompareOp): boolean {
  if (a === null && b === null) return op === "==" || op === "<=" || op === ">=";
  if (a === null || b === null) return op === "!=";
  if (typeof a === "number" && typeof b === "number") return ordered(a, b, op);
  if (typeof a === "bigint" || typeof b === "bigint") {
    const x = numeric(a);
    const y = numeric(b);
    if (x === undefined || y === undefined) return op === "!=";
    if (typeof x === "bigint" && typeof y === "bigint") return ordered(x, y, op);
    return ordered(Number(x), Number(y), op);
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    // []byte equals only []byte (bytes.Equal) and is never ordered.
    const same = a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(b);
    return op === "==" ? same : op === "!=" ? !same : false;
  }
  if (typeof a === "string" && typeof b === "string") return ordered(a, b, op);
  if (typeof a === "boolean" && typeof b === "boolean") return ordered(Number(a), Number(b), op);
  if (typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    if (op === "==") return deepEqual(a as Container, b as Container);
    if (op === "!=") return !deepEqual(a as Container, b as Container);
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
      return compare(operand(expr.left, env), operand(expr.right, env), expr.op);
    case "value": {
      const v = evaluateValue(expr.expr, env);
      if (typeof v !== "boolean") throw new OttlRuntimeError("condition does not evaluate to a boolean");
      return v;
    }
  }
}
