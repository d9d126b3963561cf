import type { AttributeValue } from "../model/attributes.js";
import type { Stream } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import { compileGoRegex, isGoRegexError } from "./go/regex.js";
import { conditionEvaluator, OttlRefusal, safeParseCondition } from "./ottl/index.js";
import { configError, type ProcessorContext, RECORD, recordLoss, reportUnknown } from "./processor.js";

type Matcher = (r: SpanRecord) => boolean;

function sameValue(a: AttributeValue | undefined, b: AttributeValue): boolean {
  if (a === undefined) return false;
  if (a === b) return true;
  return typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);
}

/** A stream's `match`: every given criterion must hold; undefined when the stream gives none. */
function compileMatch(stream: Stream, ctx: ProcessorContext): Matcher | undefined {
  const tests: Matcher[] = [];
  const { kind, attributes, name, ottl } = stream.match;
  if (kind) {
    const kinds = new Set<string>(kind);
    tests.push((r) => kinds.has(r.kind));
  }
  if (attributes) {
    for (const [key, wanted] of Object.entries(attributes)) {
      const options = Array.isArray(wanted) ? wanted : [wanted];
      tests.push((r) => options.some((o) => sameValue(r.attributes[key], o)));
    }
  }
  if (name !== undefined) {
    const re = compileGoRegex(name);
    if (isGoRegexError(re)) configError(ctx, `streams.${stream.name}.match.name`, re.error);
    tests.push((r) => re.test(r.name));
  }
  if (ottl !== undefined) {
    const parsed = safeParseCondition(ottl, "span");
    if (!parsed.ok && parsed.error instanceof OttlRefusal)
      configError(ctx, `streams.${stream.name}.match.ottl`, `${parsed.error.message} in "${ottl}"`);
    if (!parsed.ok) {
      reportUnknown(
        ctx,
        `streams.${stream.name}.match.ottl`,
        `${parsed.error.message} in "${ottl}"; which records enter the stream is unknown, so it is treated as receiving none`,
      );
      tests.push(() => false);
    } else {
      const expr = parsed.condition;
      // The routing connector settles an evaluation error by its error_mode (propagate, the default,
      // refuses the whole batch): not modelled, so said rather than read as "no match" in silence.
      const holds = conditionEvaluator((err) =>
        reportUnknown(
          ctx,
          `streams.${stream.name}.match.ottl`,
          `evaluation failed (${err.message}) in "${ottl}"; the routing connector's error_mode decides what happens to such records, which is not modelled; they are treated as not entering the stream`,
        ),
      );
      tests.push((r) => holds(expr, { record: r }) ?? false);
    }
  }
  if (tests.length === 0) return undefined;
  return (r) => tests.every((t) => t(r));
}

function describe(stream: Stream): string {
  const parts: string[] = [];
  if (stream.match.kind) parts.push(`kind ${stream.match.kind.join("|")}`);
  if (stream.match.attributes) parts.push(`attributes ${Object.keys(stream.match.attributes).join(", ")}`);
  if (stream.match.name !== undefined) parts.push(`name /${stream.match.name}/`);
  if (stream.match.ottl !== undefined) parts.push(`where ${stream.match.ottl}`);
  return `${stream.name} (${parts.join("; ") || "everything"})`;
}

/**
 * Compiles the routing of records to streams: a record enters every stream whose match holds; a
 * `default: true` stream also receives the records that entered no other stream; a record that enters
 * none is lost. The router returns the indices of the streams the record goes to, in stream order
 * (do not modify the list: records that enter only the default streams share it).
 */
export function compileRouter(
  streams: readonly Stream[],
  ctx: ProcessorContext,
): (record: SpanRecord) => readonly number[] {
  const matchers = streams.map((s) => {
    const m = compileMatch(s, ctx);
    if (s.match.default) return m ?? (() => false);
    return m ?? (() => true);
  });
  const defaults = streams.map((s, i) => (s.match.default ? i : -1)).filter((i) => i >= 0);
  const why = `no stream matched (${streams.map(describe).join(", ")}) and no stream is default: true`;
  return (r) => {
    let into: number[] | undefined;
    let entered = false;
    for (let i = 0; i < streams.length; i++) {
      if (matchers[i]!(r)) {
        if (into) into.push(i);
        else into = [i];
        if (!streams[i]!.match.default) entered = true;
      }
    }
    // A stream that matched is a default one when none other did: the record goes to every default.
    if (entered) return into!;
    if (defaults.length === 0) recordLoss(ctx, r, "routing", RECORD, why);
    return defaults;
  };
}
