import { z } from "zod";
import type { AttributeValue } from "./attributes.js";
import type { SpanRecord } from "./record.js";
import { type HiddenType, hiddenTypes, noteType, valueType } from "./value-types.js";

/**
 * The hidden pdata types of a record's values (value-types.ts) in JSON form, which trailcheck JSONL
 * keeps beside the record as `types`: per map (or list), a key's type, or for a map or list value the
 * types inside it. Written only for a record that holds such a value, so every other record reads and
 * writes as before; an incident recorded from a double 5.0 is replayed with a double.
 */
export type TypeTree = { [key: string]: HiddenType | TypeTree };
export interface RecordTypes {
  attributes?: TypeTree;
  resource?: TypeTree;
  /** By the event's index in `events`. */
  events?: Record<string, TypeTree>;
}

const TypeTreeSchema: z.ZodType<TypeTree> = z.lazy(() =>
  z.record(z.string(), z.union([z.enum(["Int", "Double", "Bytes"]), TypeTreeSchema])),
);
const RecordTypesSchema = z.strictObject({
  attributes: TypeTreeSchema.optional(),
  resource: TypeTreeSchema.optional(),
  events: z.record(z.string().regex(/^\d+$/, "an event index"), TypeTreeSchema).optional(),
});

type Container = Record<string, AttributeValue> | AttributeValue[];

function treeOf(container: Container): TypeTree | undefined {
  let tree: TypeTree | undefined;
  const hidden = hiddenTypes(container);
  if (hidden) {
    for (const [key, type] of hidden) {
      if (valueType(container, key) !== type) continue;
      tree ??= Object.create(null) as TypeTree;
      tree[key] = type;
    }
  }
  for (const key in container) {
    const v = (container as Record<string, AttributeValue>)[key];
    if (v === null || typeof v !== "object") continue;
    const inner = treeOf(v);
    if (!inner) continue;
    tree ??= Object.create(null) as TypeTree;
    tree[key] = inner;
  }
  return tree;
}

/** The hidden types of a record's values, or undefined when it has none. */
export function recordTypes(record: SpanRecord): RecordTypes | undefined {
  const attributes = treeOf(record.attributes);
  const resource = treeOf(record.resource);
  let events: Record<string, TypeTree> | undefined;
  for (let i = 0; i < record.events.length; i++) {
    const tree = treeOf(record.events[i]!.attributes);
    if (!tree) continue;
    events ??= {};
    events[i] = tree;
  }
  if (!attributes && !resource && !events) return undefined;
  return { ...(attributes && { attributes }), ...(resource && { resource }), ...(events && { events }) };
}

/** A `types` entry that does not fit the record: the field path and why. */
export class RecordTypesError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const INT64 = /^-?\d+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `value` is what the ingest keeps for a value of `type` (otlp-values.ts). */
function fitsExactly(type: HiddenType, value: AttributeValue | undefined): boolean {
  switch (type) {
    case "Int":
      if (typeof value === "number") return Number.isSafeInteger(value); // already told by its form
      return (
        typeof value === "string" &&
        INT64.test(value) &&
        BigInt(value) >= -(2n ** 63n) &&
        BigInt(value) < 2n ** 63n
      );
    case "Double":
      return typeof value === "number" || value === "NaN" || value === "Infinity" || value === "-Infinity";
    case "Bytes":
      return typeof value === "string" && BASE64.test(value);
  }
}

function apply(container: Container, tree: TypeTree, field: string): void {
  for (const key of Object.keys(tree)) {
    const at = `${field}[${JSON.stringify(key)}]`;
    if (Array.isArray(container) && !/^\d+$/.test(key))
      throw new RecordTypesError(at, "a list is indexed by numbers");
    if (!Object.hasOwn(container, key)) throw new RecordTypesError(at, "no such value in the record");
    const type = tree[key]!;
    const value = (container as Record<string, AttributeValue>)[key];
    if (typeof type === "string") {
      if (!fitsExactly(type, value))
        throw new RecordTypesError(
          at,
          `the value ${JSON.stringify(value)?.slice(0, 40)} is not of type ${type}`,
        );
      noteType(container, key, type);
    } else {
      if (value === null || typeof value !== "object")
        throw new RecordTypesError(at, "types inside a value that is not a map or a list");
      apply(value, type, at);
    }
  }
}

/**
 * Notes the types of a record's `types` entry on the record's values (as read from trailcheck JSONL).
 * Throws `RecordTypesError` when the entry is malformed or names a value the record does not hold as
 * that type.
 */
export function applyRecordTypes(record: SpanRecord, input: unknown): void {
  const parsed = RecordTypesSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RecordTypesError(["types", ...issue.path.map(String)].join("."), issue.message);
  }
  const types = parsed.data;
  if (types.attributes) apply(record.attributes, types.attributes, "types.attributes");
  if (types.resource) apply(record.resource, types.resource, "types.resource");
  for (const [index, tree] of Object.entries(types.events ?? {})) {
    const event = record.events[Number(index)];
    if (!event) throw new RecordTypesError(`types.events.${index}`, "no such event in the record");
    apply(event.attributes, tree, `types.events.${index}`);
  }
}
