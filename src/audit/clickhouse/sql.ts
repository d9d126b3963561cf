/**
 * Pieces of ClickHouse SQL. Everything that comes from a user or from stored data is a query parameter
 * (`{name:Type}`); what is spelled into the text here are the attribute keys and names the conventions
 * define, quoted as string literals.
 */

/** A ClickHouse string literal. */
export function str(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A ClickHouse identifier in backticks (for statements query parameters can't name, such as an insert's table). */
export function ident(name: string): string {
  return `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``;
}

/** An array literal of strings. */
export function strs(texts: Iterable<string>): string {
  return `[${[...texts].map(str).join(", ")}]`;
}

/** A span attribute's value as stored (the exporter stringifies every value); '' when absent. */
export function attr(key: string): string {
  return `SpanAttributes[${str(key)}]`;
}

/** Whether a span has the attribute at all (an empty value counts). */
export function hasAttr(key: string): string {
  return `mapContains(SpanAttributes, ${str(key)})`;
}

/**
 * The first of `keys` whose value is present (not empty), as `[key, value]` — the way the convention
 * mappers pick a fact — or `['', '']`.
 */
export function firstPresent(keys: readonly string[]): string {
  if (keys.length === 0) return "tuple('', '')";
  const branches = keys.map((k) => `${attr(k)} != '', tuple(${str(k)}, ${attr(k)})`);
  return `multiIf(${branches.join(", ")}, tuple('', ''))`;
}

/** `a AND b AND …`, `1` for none. */
export function and(parts: readonly string[]): string {
  return parts.length === 0 ? "1" : parts.map((p) => `(${p})`).join(" AND ");
}

/** `a OR b OR …`, `0` for none. */
export function or(parts: readonly string[]): string {
  return parts.length === 0 ? "0" : parts.map((p) => `(${p})`).join(" OR ");
}

/** `multiIf(cond1, then1, …, otherwise)`, or just `otherwise` with no branch. */
export function cases(branches: readonly (readonly [string, string])[], otherwise: string): string {
  if (branches.length === 0) return otherwise;
  return `multiIf(${branches.map(([c, v]) => `${c}, ${v}`).join(", ")}, ${otherwise})`;
}

/** The table the audit reads, as identifier parameters. */
export const TABLE = "{db:Identifier}.{table:Identifier}";
