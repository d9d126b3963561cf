import type { AttributeValue } from "../../model/attributes.js";
import { CLASSIFYING_KEYS } from "../../model/classifying-keys.js";
import type { Cause } from "../../model/gap.js";
import type { SpanRecord } from "../../model/record.js";
import { type HiddenType, hiddenTypeOf, valueType } from "../../model/value-types.js";
import { GoRegex, isGoRegexError } from "../go/regex.js";
import { evaluateValue, mapTarget, type Statement, typeOf, type ValueExpr } from "../ottl/index.js";
import { truncateUtf8 } from "../truncate.js";
import type { LossTarget } from "../types.js";
import { editMap, lossKey, type MapScope, mapOf, sameValue, withMap } from "./attribute-map.js";

/** Reports one changed attribute of one record. */
export type Report = (record: SpanRecord, cause: Cause, target: LossTarget, detail: string) => void;
/** An editor compiled once: applies to a record and returns it (a copy when it changed anything). */
export type Editor = (record: SpanRecord, report: Report) => SpanRecord;

const str = (e: ValueExpr | undefined): string | undefined =>
  e?.type === "literal" && typeof e.value === "string" ? e.value : undefined;
const int = (e: ValueExpr | undefined): number | undefined =>
  e?.type === "literal" && typeof e.value === "number" && Number.isInteger(e.value) && e.value >= 0
    ? e.value
    : undefined;
const strList = (e: ValueExpr | undefined): string[] | undefined => {
  if (e?.type !== "list") return undefined;
  const out = e.items.map(str);
  return out.every((s) => s !== undefined) ? (out as string[]) : undefined;
};
const scopeOf = (e: ValueExpr | undefined): MapScope | undefined => {
  const t = e ? mapTarget(e) : undefined;
  return t === "span" ? { of: "span" } : t === "resource" ? { of: "resource" } : undefined;
};
/** `attributes["k"]` (one key) of the span or the resource. */
const keyTarget = (e: ValueExpr | undefined): { scope: MapScope; key: string } | undefined => {
  if (e?.type !== "path" || e.path.kind !== "attributes" || e.path.keys.length !== 1) return undefined;
  const key = e.path.keys[0];
  if (typeof key !== "string" || (e.path.of !== "span" && e.path.of !== "resource")) return undefined;
  return { scope: { of: e.path.of }, key };
};
const regexArg = (e: ValueExpr | undefined): GoRegex | string => {
  const p = str(e);
  if (p === undefined) return "the pattern must be a string literal";
  const re = GoRegex.compile(p);
  return isGoRegexError(re) ? re.error : re;
};
const attr = (
  key: string,
  effect: "deleted" | "masked" | "truncated" | "changed" | "inserted",
): LossTarget => ({
  type: "attribute",
  key,
  effect,
});

/** Removes keys from a map, reporting each as deleted. */
function dropKeys(r: SpanRecord, scope: MapScope, keys: string[], why: string, report: Report): SpanRecord {
  if (keys.length === 0) return r;
  for (const k of keys) report(r, "redaction", attr(lossKey(scope, k), "deleted"), why);
  return withMap(r, scope, editMap(mapOf(r, scope), new Set(keys)));
}

/** Compiles one statement's editor, or returns why it is not modelled. */
export function compileEditor(s: Statement): Editor | string {
  const [a0, a1, a2, a3] = s.args;
  const arity = (n: number) =>
    s.args.length === n ? undefined : `${s.editor} with ${s.args.length} arguments is not modelled`;
  const bad = (what: string) => `${s.editor}: ${what}`;
  switch (s.editor) {
    case "delete_key": {
      const scope = scopeOf(a0);
      const key = str(a1);
      if (arity(2) || !scope || key === undefined)
        return arity(2) ?? bad("expects a span or resource attribute map and a key");
      return (r, report) =>
        key in mapOf(r, scope) ? dropKeys(r, scope, [key], `transform: ${s.text}`, report) : r;
    }
    case "delete_matching_keys": {
      const scope = scopeOf(a0);
      const re = regexArg(a1);
      if (arity(2) || !scope || typeof re === "string")
        return arity(2) ?? bad(typeof re === "string" ? re : "expects an attribute map");
      return (r, report) =>
        dropKeys(
          r,
          scope,
          Object.keys(mapOf(r, scope)).filter((k) => re.test(k)),
          `transform: ${s.text}`,
          report,
        );
    }
    case "keep_keys": {
      const scope = scopeOf(a0);
      const keep = strList(a1);
      if (arity(2) || !scope || !keep)
        return arity(2) ?? bad("expects an attribute map and a list of string keys");
      const set = new Set(keep);
      return (r, report) =>
        dropKeys(
          r,
          scope,
          Object.keys(mapOf(r, scope)).filter((k) => !set.has(k)),
          `transform: ${s.text}`,
          report,
        );
    }
    case "limit": {
      const scope = scopeOf(a0);
      const limit = int(a1);
      const priority = a2 === undefined ? [] : strList(a2);
      if (s.args.length < 2 || s.args.length > 3 || !scope || limit === undefined || !priority) {
        return bad("expects an attribute map, a non-negative integer and a list of keys");
      }
      return (r, report) => {
        const attrs = mapOf(r, scope);
        const keys = Object.keys(attrs);
        if (keys.length <= limit) return r;
        const keep = new Set(priority.filter((k) => k in attrs));
        let count = keep.size;
        const drop = keys.filter((k) => {
          if (keep.has(k)) return false;
          if (count < limit) {
            count++;
            return false;
          }
          return true;
        });
        return dropKeys(r, scope, drop, `transform: ${s.text} (limit ${limit})`, report);
      };
    }
    case "truncate_all": {
      const scope = scopeOf(a0);
      const limit = int(a1);
      if (arity(2) || !scope || limit === undefined)
        return arity(2) ?? bad("expects an attribute map and a non-negative integer");
      return (r, report) => {
        const attrs = mapOf(r, scope);
        const set = new Map<string, AttributeValue>();
        for (const k in attrs) {
          const v = attrs[k];
          // Only string values are cut (func_truncate_all.go: `value.Type() == pcommon.ValueTypeStr`).
          const cut =
            typeof v === "string" && valueType(attrs, k) === "Str" ? truncateUtf8(v, limit) : undefined;
          if (cut === undefined) continue;
          set.set(k, cut);
          report(
            r,
            "truncation",
            attr(lossKey(scope, k), "truncated"),
            `transform truncate_all to ${limit} bytes cut a value of ${(v as string).length} characters`,
          );
        }
        return withMap(r, scope, editMap(attrs, new Set(), set));
      };
    }
    case "replace_pattern": {
      const target = keyTarget(a0);
      const re = regexArg(a1);
      const repl = str(a2);
      if (arity(3) || !target || typeof re === "string" || repl === undefined) {
        return (
          arity(3) ??
          bad(typeof re === "string" ? re : 'expects attributes["key"], a pattern and a replacement')
        );
      }
      return (r, report) => {
        const attrs = mapOf(r, target.scope);
        const v = attrs[target.key];
        // Only a string is replaced: the getter gives bytes as []byte and an int as int64.
        if (typeof v !== "string" || valueType(attrs, target.key) !== "Str") return r;
        const out = re.replaceAllTemplate(v, repl);
        if (out === v) return r;
        report(r, "redaction", attr(lossKey(target.scope, target.key), "masked"), `transform: ${s.text}`);
        return withMap(r, target.scope, editMap(attrs, new Set(), new Map([[target.key, out]])));
      };
    }
    case "replace_all_patterns": {
      const scope = scopeOf(a0);
      const mode = str(a1);
      const re = regexArg(a2);
      const repl = str(a3);
      if (
        arity(4) ||
        !scope ||
        (mode !== "key" && mode !== "value") ||
        typeof re === "string" ||
        repl === undefined
      ) {
        return (
          arity(4) ??
          bad(
            typeof re === "string"
              ? re
              : 'expects an attribute map, "key" or "value", a pattern and a replacement',
          )
        );
      }
      return (r, report) => {
        const attrs = mapOf(r, scope);
        const remove = new Set<string>();
        const set = new Map<string, AttributeValue>();
        const types = new Map<string, HiddenType>();
        for (const k in attrs) {
          const v = attrs[k]!;
          if (mode === "value") {
            if (typeof v !== "string" || valueType(attrs, k) !== "Str") continue;
            const out = re.replaceAllTemplate(v, repl);
            if (out === v) continue;
            set.set(k, out);
            report(r, "redaction", attr(lossKey(scope, k), "masked"), `transform: ${s.text}`);
          } else {
            const nk = re.replaceAllTemplate(k, repl);
            if (nk === k) continue;
            remove.add(k);
            set.set(nk, v);
            const type = hiddenTypeOf(valueType(attrs, k), v);
            if (type) types.set(nk, type);
            report(
              r,
              "redaction",
              attr(lossKey(scope, k), "deleted"),
              `transform renamed the key to ${JSON.stringify(nk)}: ${s.text}`,
            );
          }
        }
        return withMap(r, scope, editMap(attrs, remove, set, types));
      };
    }
    case "set": {
      if (arity(2) || !a1) return arity(2) ?? bad("expects a target and a value");
      const value = a1;
      const target = keyTarget(a0);
      if (target) {
        return (r, report) => {
          const env = { record: r };
          const v = evaluateValue(value, env) as AttributeValue;
          if (v === null) return r; // OTTL: a nil value sets nothing
          const attrs = mapOf(r, target.scope);
          // The value written keeps its type: a double copied from another attribute stays a double.
          const written = typeOf(value, v, env);
          const type = hiddenTypeOf(written, v);
          const types = type ? new Map([[target.key, type]]) : undefined;
          const same = sameValue(attrs[target.key], v);
          if (same && valueType(attrs, target.key) === written) return r;
          if (target.key in attrs && !same)
            report(
              r,
              "redaction",
              attr(lossKey(target.scope, target.key), "changed"),
              `transform: ${s.text}`,
            );
          // A span's layer is read from its own attributes: setting a key that marks one is a change
          // of what the span is, even where the span did not carry it.
          if (!(target.key in attrs) && target.scope.of === "span" && CLASSIFYING_KEYS.has(target.key))
            report(r, "redaction", attr(target.key, "inserted"), `transform: ${s.text}`);
          return withMap(r, target.scope, editMap(attrs, new Set(), new Map([[target.key, v]]), types));
        };
      }
      if (a0?.type === "path" && a0.path.kind === "name" && a0.path.of === "span") {
        return (r, report) => {
          const v = evaluateValue(value, { record: r });
          if (typeof v !== "string" || v === r.name) return r;
          report(r, "redaction", attr("name", "changed"), `transform: ${s.text}`);
          return { ...r, name: v };
        };
      }
      return bad(`setting ${a0?.type === "path" ? a0.text : "this target"} is not modelled`);
    }
  }
  return `${s.editor} is not modelled`;
}
