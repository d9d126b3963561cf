import { createHash } from "node:crypto";
import type { z } from "zod";
import type { Attributes, AttributeValue } from "../../model/attributes.js";
import { CLASSIFYING_KEYS } from "../../model/classifying-keys.js";
import type { AttributesProcessorSchema } from "../../model/processors.js";
import type { SpanRecord } from "../../model/record.js";
import {
  carryTypes,
  type HiddenType,
  hiddenTypeOf,
  noteType,
  plainType,
  type ValueType,
  valueType,
} from "../../model/value-types.js";
import { compileGoRegex, type GoRegex, isGoRegexError } from "../go/regex.js";
import {
  configError,
  type ProcessorContext,
  perRecord,
  recordLoss,
  reportUnknown,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { sameValue } from "./attribute-map.js";
import { compileIncludeExclude } from "./span-match.js";

export type AttributesSettings = z.infer<typeof AttributesProcessorSchema>;
type Action = AttributesSettings["actions"][number];

/**
 * `sha2Hasher` (attraction/hasher.go), by the value's pdata type: strings by their bytes, ints and
 * doubles as 8 little-endian bytes (an integral double by its float64 bits, not as an int).
 */
export function sha256Attribute(value: AttributeValue, type: ValueType = plainType(value)): string {
  let bytes: Uint8Array;
  if (type === "Str") bytes = new TextEncoder().encode(value as string);
  else if (type === "Bool") bytes = Uint8Array.of(value ? 1 : 0);
  else if (type === "Int" || type === "Double") {
    const view = new DataView(new ArrayBuffer(8));
    if (type === "Int") view.setBigInt64(0, BigInt(value as number | string), true);
    else view.setFloat64(0, Number(value), true);
    bytes = new Uint8Array(view.buffer);
  } else return ""; // bytes, maps, lists and empty values become ""
  return createHash("sha256").update(bytes).digest("hex");
}

const INT64 = /^[+-]?\d+$/;
const inInt64 = (n: bigint) => n >= -(2n ** 63n) && n < 2n ** 63n;

/**
 * `convertValue` (attraction/type_converter.go) on a value of `type`: the value written and its type,
 * or undefined when the collector leaves it as it is.
 */
function convert(
  value: AttributeValue,
  type: ValueType,
  to: string,
): [AttributeValue, ValueType] | undefined {
  switch (to) {
    case "string":
      // AsString: a number as JSON writes it, an int64 or bytes (kept as text) as that text.
      if (type === "Str") return undefined;
      return [typeof value === "string" ? value : JSON.stringify(value), "Str"];
    case "int":
      if (type === "Double") return [Math.trunc(Number(value)), "Int"];
      if (type === "Bool") return [value ? 1 : 0, "Int"];
      if (type === "Str" && INT64.test(value as string)) {
        const n = BigInt(value as string);
        if (!inInt64(n)) return undefined; // ParseInt fails: the value stays
        return [Number.isSafeInteger(Number(n)) ? Number(n) : n.toString(), "Int"];
      }
      return undefined;
    case "double":
      if (type === "Int") return [Number(value), "Double"];
      if (type === "Bool") return [value ? 1 : 0, "Double"];
      if (type === "Str" && (value as string).trim() !== "" && !Number.isNaN(Number(value)))
        return [Number(value), "Double"];
      return undefined;
  }
  return undefined;
}

/** `attrs` with `key` set to `value` of `type`; the other keys keep their types. */
function withValue(attrs: Attributes, key: string, value: AttributeValue, type: ValueType): Attributes {
  const out = carryTypes(attrs, { ...attrs, [key]: value }, new Set([key]));
  const hidden: HiddenType | undefined = hiddenTypeOf(type, value);
  if (hidden) noteType(out, key, hidden);
  return out;
}

type Step = (attrs: Attributes, record: SpanRecord) => Attributes;

/**
 * The `attributes` processor on span attributes (attraction.go), actions in order: insert (if absent),
 * update (if present), upsert, delete and hash (by key and/or regex on keys), extract (named groups),
 * convert. Deletions, hashes and overwritten values are losses (cause redaction).
 */
export function compileAttributesProcessor(
  settings: AttributesSettings,
  ctx: ProcessorContext,
): StreamProcessor {
  reportUnknownSettings(ctx, settings, ["actions", "include", "exclude"], "attributes");
  const applies = compileIncludeExclude(settings.include, settings.exclude, ctx, "attributes");
  const steps = settings.actions
    .map((a, i) => compileAction(a, i, ctx))
    .filter((s): s is Step => s !== undefined);
  return perRecord((r) => {
    if (!applies(r)) return r;
    let attrs = r.attributes;
    for (const step of steps) attrs = step(attrs, r);
    return attrs === r.attributes ? r : { ...r, attributes: attrs };
  });
}

function compileAction(a: Action, i: number, ctx: ProcessorContext): Step | undefined {
  const field = `attributes.actions[${i}]`;
  const key = a.key ?? "";
  const action = a.action.toLowerCase();
  let regex: GoRegex | undefined;
  if (a.pattern) {
    const re = compileGoRegex(a.pattern);
    if (isGoRegexError(re)) configError(ctx, `${field}.pattern`, re.error);
    regex = re;
  }
  const change = (
    r: SpanRecord,
    k: string,
    effect: "deleted" | "hashed" | "changed" | "inserted",
    why: string,
  ) => recordLoss(ctx, r, "redaction", { type: "attribute", key: k, effect }, why);
  const keysOf = (attrs: Attributes) => {
    const keys = key && key in attrs ? [key] : [];
    if (regex) for (const k in attrs) if (regex.test(k) && k !== key) keys.push(k);
    return keys;
  };

  switch (action) {
    case "insert":
    case "update":
    case "upsert": {
      if (a.from_context) {
        reportUnknown(
          ctx,
          `${field}.from_context`,
          "client metadata (from_context) is not in a recorded trace; the action is skipped",
        );
        return undefined;
      }
      if (!key) configError(ctx, `${field}.key`, 'missing required field "key"');
      return (attrs, r) => {
        const value =
          a.value !== undefined
            ? (a.value as AttributeValue)
            : a.from_attribute !== undefined
              ? attrs[a.from_attribute]
              : undefined;
        if (value === undefined) return attrs;
        // A value copied from another attribute keeps that attribute's type; a configured one has the
        // type Value.FromRaw gives what the collector's YAML read (`5.0` is a float64: a Double).
        const type =
          a.value === undefined && a.from_attribute !== undefined
            ? valueType(attrs, a.from_attribute)
            : valueType(a as never, "value");
        const present = key in attrs;
        if ((action === "insert" && present) || (action === "update" && !present)) return attrs;
        const same = present && sameValue(attrs[key], value);
        if (same && valueType(attrs, key) === type) return attrs;
        if (present && !same) change(r, key, "changed", `attributes ${action} overwrote the value`);
        if (!present && CLASSIFYING_KEYS.has(key))
          change(r, key, "inserted", `attributes ${action} set ${key}, which marks what a span is`);
        return withValue(attrs, key, value, type);
      };
    }
    case "delete":
    case "hash": {
      if (!key && !regex) configError(ctx, field, 'at least one of "key" and "pattern" is required');
      return (attrs, r) => {
        const keys = keysOf(attrs);
        if (keys.length === 0) return attrs;
        const out = carryTypes(attrs, { ...attrs }, new Set(keys));
        for (const k of keys) {
          if (action === "delete") {
            delete out[k];
            change(
              r,
              k,
              "deleted",
              `attributes delete (${a.pattern ? `pattern /${a.pattern}/` : `key ${key}`})`,
            );
          } else {
            out[k] = sha256Attribute(attrs[k]!, valueType(attrs, k));
            change(r, k, "hashed", "attributes hash: replaced by its SHA-256 hex digest");
          }
        }
        return out;
      };
    }
    case "extract": {
      if (!regex) configError(ctx, `${field}.pattern`, 'missing required field "pattern"');
      const names = regex.names;
      if (names.length <= 1) configError(ctx, `${field}.pattern`, "pattern contains no named groups");
      if (names.slice(1).includes(""))
        configError(ctx, `${field}.pattern`, "pattern contains at least one unnamed group");
      return (attrs, r) => {
        const v = attrs[key];
        if (typeof v !== "string" || valueType(attrs, key) !== "Str") return attrs;
        const m = regex.exec(v);
        if (!m) return attrs;
        // Group by group, as the collector puts them: a name used twice ends with the later group.
        const extracted = new Map<string, string>();
        for (let g = 1; g < names.length; g++) extracted.set(names[g]!, m[g] ?? "");
        const out = carryTypes(attrs, { ...attrs }, extracted);
        for (const [name, value] of extracted) {
          if (name in attrs && !sameValue(attrs[name], value))
            change(r, name, "changed", `attributes extract overwrote ${name}`);
          if (!(name in attrs) && CLASSIFYING_KEYS.has(name))
            change(r, name, "inserted", `attributes extract set ${name}, which marks what a span is`);
          out[name] = value;
        }
        return out;
      };
    }
    case "convert": {
      const to = a.converted_type ?? "";
      if (!["string", "int", "double"].includes(to))
        configError(ctx, `${field}.converted_type`, `invalid converted_type ${JSON.stringify(to)}`);
      return (attrs, r) => {
        if (!(key in attrs)) return attrs;
        const converted = convert(attrs[key]!, valueType(attrs, key), to);
        if (!converted) return attrs;
        const [value, type] = converted;
        // A change of type alone (an int 5 to the double 5) keeps the content: no loss to report.
        if (!sameValue(value, attrs[key])) change(r, key, "changed", `attributes convert to ${to}`);
        return withValue(attrs, key, value, type);
      };
    }
  }
  configError(ctx, `${field}.action`, `unsupported action ${JSON.stringify(a.action)}`);
}
