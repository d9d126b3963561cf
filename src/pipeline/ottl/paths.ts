import type { OttlContext, PathRef } from "./ast.js";
import { OttlSyntaxError } from "./tokenizer.js";

const ENTITIES = new Set(["span", "spanevent", "resource", "instrumentation_scope", "scope"]);

/**
 * Resolves a dotted path against the statement's context: bare paths belong to the context's own
 * entity; `span.`, `spanevent.`, `resource.` and `instrumentation_scope.` prefixes name another one.
 */
export function resolvePath(
  segments: string[],
  keys: (string | number)[],
  context: OttlContext,
  column: number,
  mapAllowed: boolean,
): PathRef {
  let entity: string = context;
  let rest = segments;
  if (segments.length > 1 && ENTITIES.has(segments[0]!)) {
    entity = segments[0] === "instrumentation_scope" ? "scope" : segments[0]!;
    rest = segments.slice(1);
  }
  const fail = (why: string): never => {
    throw new OttlSyntaxError(column, `${why}: ${segments.join(".")}`);
  };
  if (context === "resource" && entity !== "resource") fail("path not available in the resource context");
  if (context === "span" && entity === "spanevent") fail("span event paths need the spanevent context");
  const joined = rest.join(".");
  if (joined === "attributes") {
    // The collector reads them; the record model does not keep them, so their effect is unknown.
    if (entity === "scope") fail("instrumentation scope attributes are not in the record model");
    if (keys.length === 0 && !mapAllowed)
      fail("a whole attribute map is only accepted as a function argument");
    return { kind: "attributes", of: entity as "span" | "spanevent" | "resource" | "scope", keys };
  }
  if (keys.length > 0) fail("unsupported indexed path");
  if (entity === "resource") fail("unsupported path");
  if (entity === "scope") {
    if (joined === "name") return { kind: "name", of: "scope" };
    if (joined === "version") return { kind: "scope.version" };
    fail("unsupported path");
  }
  if (entity === "spanevent") {
    if (joined === "name") return { kind: "name", of: "spanevent" };
    fail("unsupported path");
  }
  switch (joined) {
    case "name":
      return { kind: "name", of: "span" };
    case "kind":
      return { kind: "kind" };
    case "status.code":
      return { kind: "status.code" };
    case "status.message":
      return { kind: "status.message" };
    case "trace_id.string":
      return { kind: "id", field: "traceId" };
    case "span_id.string":
      return { kind: "id", field: "spanId" };
    case "parent_span_id.string":
      return { kind: "id", field: "parentSpanId" };
  }
  return fail("unsupported path");
}
