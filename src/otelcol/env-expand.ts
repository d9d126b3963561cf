import { parse as parseYamlScalar } from "yaml";
import { InputError, type Location } from "../errors.js";
import { type ConfigPath, isPlainMap } from "./source-tree.js";

/** Variables the expansion reads; `process.env` by default. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A reference the expansion could not resolve as the collector would at startup. */
export interface ExpansionNote {
  readonly path: ConfigPath;
  readonly reference: string;
  readonly message: string;
}

const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The end of the `${…}` starting at `start` (index of `$`), allowing nested braces; -1 when unclosed. */
function closing(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

type Resolved = { kind: "value"; text: string } | { kind: "keep" };

function resolveReference(
  inner: string,
  env: Environment,
  path: ConfigPath,
  notes: ExpansionNote[],
  where: (path: ConfigPath) => Location,
): Resolved {
  const colon = inner.indexOf(":");
  const scheme = colon >= 0 ? inner.slice(0, colon) : "env";
  const rest = colon >= 0 ? inner.slice(colon + 1) : inner;
  const reference = `\${${inner}}`;
  if (scheme !== "env") {
    notes.push({
      path,
      reference,
      message: `the "${scheme}" config provider is not read by trailcheck; the value is kept as written`,
    });
    return { kind: "keep" };
  }
  const sep = rest.indexOf(":-");
  const name = sep >= 0 ? rest.slice(0, sep) : rest;
  const fallback = sep >= 0 ? rest.slice(sep + 2) : undefined;
  if (!ENV_NAME.test(name)) {
    throw new InputError(
      "bad-otelcol-config",
      `environment variable "${name}" has invalid name: must match regex ${ENV_NAME.source}`,
      where(path),
    );
  }
  const value = env[name];
  if (value !== undefined) return { kind: "value", text: value };
  if (fallback !== undefined) return { kind: "value", text: fallback };
  notes.push({
    path,
    reference,
    message: `environment variable ${name} is not set; the collector reads it as an empty string`,
  });
  return { kind: "value", text: "" };
}

/**
 * Expands one string value as the collector's confmap does: `${env:VAR}`, `${VAR}`, `${env:VAR:-default}`
 * (the default applies when VAR is unset, not when it is empty), `$$` for a literal `$`. A value that is
 * a single reference takes the type its text reads as in YAML (`${env:PCT}` with PCT=10 is the number 10).
 */
export function expandString(
  text: string,
  env: Environment,
  path: ConfigPath,
  notes: ExpansionNote[],
  where: (path: ConfigPath) => Location,
): unknown {
  if (!text.includes("$")) return text;
  let out = "";
  let references = 0;
  let literal = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "$" && text[i + 1] === "$") {
      out += "$";
      literal = true;
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const end = closing(text, i);
      if (end < 0) {
        out += text.slice(i);
        literal = true;
        break;
      }
      const inner = text.slice(i + 2, end);
      const resolved = resolveReference(inner, env, path, notes, where);
      out += resolved.kind === "value" ? resolved.text : text.slice(i, end + 1);
      if (resolved.kind === "keep") literal = true;
      references++;
      i = end;
      continue;
    }
    out += c;
    literal = true;
  }
  if (references === 1 && !literal) {
    try {
      const typed: unknown = parseYamlScalar(out);
      if (typed === null || ["number", "boolean", "string"].includes(typeof typed)) return typed;
    } catch {
      // Not YAML: the text as is.
    }
  }
  return out;
}

/** Expands every string value (never keys) of a merged config tree; returns a new tree. */
export function expandTree(
  value: unknown,
  env: Environment,
  notes: ExpansionNote[],
  where: (path: ConfigPath) => Location,
  path: ConfigPath = [],
): unknown {
  if (typeof value === "string") return expandString(value, env, path, notes, where);
  if (Array.isArray(value)) return value.map((v, i) => expandTree(v, env, notes, where, [...path, i]));
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandTree(v, env, notes, where, [...path, k]);
    return out;
  }
  return value;
}
