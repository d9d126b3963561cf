import { type Document, isNode, type LineCounter } from "yaml";
import type { z } from "zod";
import type { Location } from "../errors.js";

/** `streams[0].processors[1].redaction` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Points a zod issue at its place in the YAML file: the deepest node of the issue's path that exists,
 * with its line and column.
 */
export function zodIssueLocation(
  doc: Document,
  issue: z.core.$ZodIssue,
  file: string,
  lineCounter: LineCounter,
): Location {
  return nodeLocation(doc, issue.path as PropertyKey[], file, lineCounter);
}

/** The line and column of the deepest node of `path` that exists in the document. */
export function nodeLocation(
  doc: Document,
  path: readonly PropertyKey[],
  file: string,
  lineCounter: LineCounter,
): Location {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { file, line: pos.line, column: pos.col, field: fieldPath(path) || undefined };
    }
  }
  return { file, field: fieldPath(path) || undefined };
}
