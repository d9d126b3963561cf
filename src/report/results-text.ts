import type { Results } from "./results.js";

/** The arrays that grow with the suite: one element a line, so the file stays small and greps well. */
const ONE_PER_LINE: ReadonlySet<string> = new Set(["findings", "tests", "new", "unchanged", "fixed"]);

function member(key: string, value: unknown, indent: string): string {
  const name = `${indent}${JSON.stringify(key)}: `;
  if (Array.isArray(value) && ONE_PER_LINE.has(key)) {
    if (value.length === 0) return `${name}[]`;
    const inner = `${indent}  `;
    return `${name}[\n${value.map((v) => `${inner}${JSON.stringify(v)}`).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && key === "baseline") {
    return `${name}${object(value as Record<string, unknown>, indent)}`;
  }
  return `${name}${JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`)}`;
}

function object(value: Record<string, unknown>, indent: string): string {
  const inner = `${indent}  `;
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => member(k, v, inner));
  return `{\n${members.join(",\n")}\n${indent}}`;
}

/**
 * results.json's text: the document indented as usual, but each test, finding and compared gap on
 * a line of its own. A thousand tests make a thousand lines, not three hundred thousand.
 */
export function resultsText(results: Results): string {
  return `${object(results as unknown as Record<string, unknown>, "")}\n`;
}
