import type { AttributeValue } from "./attributes.js";

/**
 * The pdata type of an attribute value (pcommon.ValueType). Records keep values in their plain JSON
 * form, where three types read as others: a double with an integral value is the same JS number as an
 * int, an int64 beyond 2^53 is kept as its decimal string, and bytes as their base64 string. The
 * collector's processors branch on the type — tail_sampling's numeric_attribute reads `Value.Int()`
 * (0 for a double), string_attribute `Value.Str()` ("" for bytes), OTTL has IsInt/IsDouble/IsString —
 * so the readers note those three types beside the map that holds the value.
 */
export type ValueType = "Empty" | "Str" | "Int" | "Double" | "Bool" | "Map" | "Slice" | "Bytes";

/** The types a value's plain form does not tell. */
export type HiddenType = "Int" | "Double" | "Bytes";

/** An attribute map, or the list or map inside an `arrayValue`/`kvlistValue`. */
type Container = Readonly<Record<string, AttributeValue>> | readonly AttributeValue[];

/**
 * The hidden types of a container's entries, keyed by the container object itself. A processor that
 * rewrites a map builds a new object, which carries no types unless the writer carries them over for
 * the entries it left alone (`carryTypes`): a type is never read for a value it was not noted for.
 */
const HIDDEN = new WeakMap<object, Map<string, HiddenType>>();

/** Notes that `container[key]` (an index for lists) holds a value of `type`. */
export function noteType(container: Container, key: string | number, type: HiddenType): void {
  let types = HIDDEN.get(container);
  if (!types) {
    types = new Map();
    HIDDEN.set(container, types);
  }
  types.set(String(key), type);
}

/** The hidden types noted for a container's entries, if any. */
export function hiddenTypes(container: Container): ReadonlyMap<string, HiddenType> | undefined {
  return HIDDEN.get(container);
}

/** The type a value's plain form tells (what a value without a noted type is). */
export function plainType(value: AttributeValue | undefined): ValueType {
  if (value === undefined || value === null) return "Empty";
  switch (typeof value) {
    case "string":
      return "Str";
    case "boolean":
      return "Bool";
    case "number":
      return Number.isInteger(value) ? "Int" : "Double";
  }
  return Array.isArray(value) ? "Slice" : "Map";
}

/** `type` if a value of that type must be noted for `value` (its plain form tells another type). */
export function hiddenTypeOf(type: ValueType, value: AttributeValue): HiddenType | undefined {
  if (type !== "Int" && type !== "Double" && type !== "Bytes") return undefined;
  return plainType(value) === type ? undefined : type;
}

/** Whether a noted type fits the plain form it was noted for (a safeguard: ingest only notes such). */
function fits(type: HiddenType, value: AttributeValue | undefined): boolean {
  if (type === "Double") return typeof value === "number" || typeof value === "string";
  return typeof value === "string";
}

/** The pdata type of `container[key]`. */
export function valueType(container: Container, key: string | number): ValueType {
  const value = (container as Record<string, AttributeValue>)[key as string];
  const noted = HIDDEN.get(container)?.get(String(key));
  return noted !== undefined && fits(noted, value) ? noted : plainType(value);
}

/**
 * Carries the noted types of `from` over to `to`, a rewritten copy, for the keys `to` holds with the
 * very same value and that the writer did not set (`written`): a value a processor writes gets the
 * type of what it wrote, never the one noted for the value it replaced. Returns `to`.
 */
export function carryTypes<T extends Container>(
  from: Container,
  to: T,
  written?: { has(key: string): boolean },
): T {
  const types = HIDDEN.get(from);
  if (!types || from === to) return to;
  const src = from as Record<string, AttributeValue>;
  const dst = to as Record<string, AttributeValue>;
  for (const [key, type] of types) {
    if (written?.has(key) || !(key in dst) || dst[key] !== src[key]) continue;
    noteType(to, key, type);
  }
  return to;
}

/** Drops the noted type of one key (a writer that sets a key in place, on a map it just built). */
export function forgetType(container: Container, key: string): void {
  HIDDEN.get(container)?.delete(key);
}

const isContainer = (v: unknown): v is object => typeof v === "object" && v !== null;

/**
 * Carries the noted types of a tree onto a copy of it that keeps its keys and values, made by a
 * parser such as a zod schema (which builds new objects): each map or list of `to` gets the types
 * noted at the same place in `from`, for entries that hold the very same value.
 */
export function carryTypesDeep(from: unknown, to: unknown, seen = new WeakSet<object>()): void {
  if (!isContainer(from) || !isContainer(to) || seen.has(to)) return;
  seen.add(to);
  if (from !== to) carryTypes(from as Container, to as Container);
  const src = from as Record<string, unknown>;
  const dst = to as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    if (key in dst) carryTypesDeep(src[key], dst[key], seen);
  }
}
