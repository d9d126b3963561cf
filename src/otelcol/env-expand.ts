import { isScalar, parseDocument } from "yaml";
import { InputError, type Location } from "../errors.js";
import { carryTypes, noteType } from "../model/value-types.js";
import { goScalarValue, goYamlNode } from "../yaml/go-yaml-scalar.js";
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
 * A variable's text as the collector reads it: yaml.v3 parses it (envprovider, NewRetrievedFromYAML),
 * so `10` is an int and `5.0` a float64; what is not one YAML scalar of those types stays the text.
 */
function typedText(text: string): { value: unknown; float: boolean } {
  try {
    const doc = parseDocument(text, { logLevel: "silent" });
    if (doc.errors.length > 0) return { value: text, float: false };
    if (doc.contents === null) return { value: null, float: false }; // an empty document is nil
    if (!isScalar(doc.contents)) return { value: text, float: false };
    const typed = goScalarValue(goYamlNode(doc.contents));
    if (typed.value === null || ["number", "boolean", "string"].includes(typeof typed.value)) return typed;
  } catch {
    // Not YAML yaml.v3 reads: the text as is.
  }
  return { value: text, float: false };
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
  return expandValue(text, env, path, notes, where).value;
}

function expandValue(
  text: string,
  env: Environment,
  path: ConfigPath,
  notes: ExpansionNote[],
  where: (path: ConfigPath) => Location,
): { value: unknown; float: boolean } {
  if (!text.includes("$")) return { value: text, float: false };
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
  if (references === 1 && !literal) return typedText(out);
  return { value: out, float: false };
}

/**
 * Expands every string value (never keys) of a merged config tree; returns a new tree, in which values
 * left as they were keep their noted types and a variable read as a float64 is noted as one.
 */
export function expandTree(
  value: unknown,
  env: Environment,
  notes: ExpansionNote[],
  where: (path: ConfigPath) => Location,
  path: ConfigPath = [],
): unknown {
  if (typeof value === "string") return expandString(value, env, path, notes, where);
  if (!Array.isArray(value) && !isPlainMap(value)) return value;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  const floats: (string | number)[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    const at = [...path, key];
    if (typeof v === "string") {
      const expanded = expandValue(v, env, at, notes, where);
      (out as Record<string, unknown>)[k] = expanded.value;
      if (expanded.float) floats.push(key);
    } else (out as Record<string, unknown>)[k] = expandTree(v, env, notes, where, at);
  }
  carryTypes(value as never, out as never);
  for (const key of floats) noteType(out as never, key, "Double");
  return out;
}
