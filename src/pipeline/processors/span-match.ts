import type { AttributeValue } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import { valueType } from "../../model/value-types.js";
import { compileGoRegex, isGoRegexError } from "../go/regex.js";
import { goAsString } from "../go/value-string.js";
import { configError, type ProcessorContext, reportUnknown } from "../processor.js";

type Cfg = Record<string, unknown>;
export type SpanPredicate = (r: SpanRecord) => boolean;

const SPAN_KINDS: Record<string, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

function spanKindNumber(name: string): number | undefined {
  return SPAN_KINDS[name.toLowerCase().replace(/^span_kind_/, "")];
}

const text = (v: AttributeValue | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);

/**
 * An attribute as `regexp` matching reads it (attributeStringValue, filtermatcher/attributematcher.go):
 * strings, booleans and numbers as text; bytes, maps, lists and empty values match nothing.
 */
function matchText(attrs: SpanRecord["attributes"], key: string): string | undefined {
  const type = valueType(attrs, key);
  return type === "Str" || type === "Bool" || type === "Int" || type === "Double"
    ? goAsString(attrs[key])
    : undefined;
}

/**
 * The `include`/`exclude` properties of the attributes processor (filterspan): every property given
 * must match; within `services`, `span_names` and `span_kinds` any entry matches; every listed attribute
 * must match (`strict`: equal value, or presence when no value is given; `regexp`: the value's text).
 */
export function compileSpanMatch(cfg: Cfg, ctx: ProcessorContext, field: string): SpanPredicate {
  const matchType = cfg["match_type"] ?? "strict";
  if (matchType !== "strict" && matchType !== "regexp") {
    configError(
      ctx,
      `${field}.match_type`,
      `match_type ${JSON.stringify(matchType)} is not strict or regexp`,
    );
  }
  const strings = (list: unknown, at: string): ((s: string) => boolean)[] =>
    (Array.isArray(list) ? list : []).map((p, i) => {
      const pattern = String(p);
      if (matchType === "strict") return (s: string) => s === pattern;
      const re = compileGoRegex(pattern);
      if (isGoRegexError(re)) configError(ctx, `${field}.${at}[${i}]`, re.error);
      return (s: string) => re.test(s);
    });
  const tests: SpanPredicate[] = [];
  for (const key of Object.keys(cfg)) {
    if (!["match_type", "services", "span_names", "attributes", "span_kinds", "regexp"].includes(key)) {
      reportUnknown(
        ctx,
        `${field}.${key}`,
        `match property "${key}" is not modelled; spans are treated as not matching it`,
      );
      tests.push(() => false);
    }
  }
  if (Array.isArray(cfg["services"])) {
    const any = strings(cfg["services"], "services");
    tests.push((r) => {
      const svc = text(r.resource["service.name"]);
      return svc !== undefined && any.some((m) => m(svc));
    });
  }
  if (Array.isArray(cfg["span_names"])) {
    const any = strings(cfg["span_names"], "span_names");
    tests.push((r) => any.some((m) => m(r.name)));
  }
  if (Array.isArray(cfg["span_kinds"])) {
    const kinds = new Set((cfg["span_kinds"] as unknown[]).map((k) => spanKindNumber(String(k))));
    tests.push((r) => kinds.has(r.spanKind));
  }
  if (Array.isArray(cfg["attributes"])) {
    (cfg["attributes"] as Cfg[]).forEach((a, k) => {
      const key = String(a["key"]);
      const wanted = a["value"];
      if (wanted === undefined || wanted === null) {
        tests.push((r) => key in r.attributes);
      } else if (matchType === "strict") {
        // attributeValueMatch (filtermatcher/attributematcher.go): the types first, then the values.
        const type = valueType(a as never, "value");
        tests.push(
          (r) =>
            valueType(r.attributes, key) === type &&
            JSON.stringify(r.attributes[key]) === JSON.stringify(wanted),
        );
      } else {
        const [m] = strings([wanted], `attributes[${k}].value`);
        tests.push((r) => {
          const v = matchText(r.attributes, key);
          return v !== undefined && m!(v);
        });
      }
    });
  }
  return (r) => tests.every((t) => t(r));
}

/** Include and exclude together: a span is processed iff it matches include (if given) and not exclude. */
export function compileIncludeExclude(
  include: Cfg | undefined,
  exclude: Cfg | undefined,
  ctx: ProcessorContext,
  processor: string,
): SpanPredicate {
  const inc = include ? compileSpanMatch(include, ctx, `${processor}.include`) : undefined;
  const exc = exclude ? compileSpanMatch(exclude, ctx, `${processor}.exclude`) : undefined;
  if (!inc && !exc) return () => true;
  return (r) => (!inc || inc(r)) && !exc?.(r);
}
