import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import { isFloatLiteral } from "./go-yaml-scalar.js";

/**
 * Finds, in the plain value a document converts to, the numbers written as floats (`value: 5.0`), and
 * calls `onFloat` with the map or list that holds each and its key: a collector makes a pdata Double of
 * such a value, which the plain number 5 does not tell. Walks the document's nodes and the plain value
 * side by side; aliases read the node they point at, whose plain value is shared.
 */
export function findFloatLiterals(
  doc: Document,
  plain: unknown,
  onFloat: (container: object, key: string | number) => void,
): void {
  const seen = new WeakSet<object>();
  const visit = (node: unknown, value: unknown): void => {
    if (isAlias(node)) node = node.resolve(doc);
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    const at = (key: string | number, child: unknown) => {
      const target = isAlias(child) ? child.resolve(doc) : child;
      const v = (value as Record<string, unknown>)[key];
      if (isScalar(target)) {
        const text = (target as Node & { source?: unknown }).source;
        if (
          typeof v === "number" &&
          target.type === "PLAIN" &&
          typeof text === "string" &&
          isFloatLiteral(text)
        )
          onFloat(value, key);
      } else visit(target, v);
    };
    if (isMap(node) && !Array.isArray(value)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && Object.hasOwn(value, key)) at(key, pair.value);
      }
    } else if (isSeq(node) && Array.isArray(value)) {
      node.items.forEach((item, i) => {
        at(i, item);
      });
    }
  };
  visit(doc.contents, plain);
}
