import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import { InputError, type Location } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { carryTypes, hiddenTypes, noteType } from "../model/value-types.js";
import { GoYamlError, goScalarValue, goYamlNode } from "../yaml/go-yaml-scalar.js";
import { deepOrRefused } from "../yaml/load.js";
import { fieldPath } from "../yaml/locate.js";

/** A path into the merged config: map keys and list indexes. */
export type ConfigPath = readonly (string | number)[];

/** One parsed collector config file: its value and where each of its nodes sits. */
export interface SourceFile {
  readonly file: string;
  readonly value: Record<string, unknown>;
  /** `JSON.stringify(path)` → 1-based line and column of the node's key (maps) or value (lists). */
  readonly origins: ReadonlyMap<string, { line: number; column: number }>;
}

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parses one collector config file. Keys written with the confmap separator (`service::pipelines`) are
 * nested as the collector nests them.
 */
export function parseSourceFile(text: string, file: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    const first = e.message.split("\n")[0]!;
    const message = /call stack/i.test(first) ? "the document is nested too deeply" : first;
    throw new InputError("bad-yaml", message, { file, line: pos?.line, column: pos?.col });
  }
  const origins = new Map<string, { line: number; column: number }>();
  const mark = (path: ConfigPath, offset: number | undefined) => {
    if (offset === undefined) return;
    const pos = lineCounter.linePos(offset);
    origins.set(JSON.stringify(path), { line: pos.line, column: pos.col });
  };
  let aliases = 0;
  const deref = (node: unknown): unknown => {
    while (isAlias(node)) {
      if (++aliases > 100) throw new InputError("bad-yaml", "too many YAML aliases", { file });
      node = node.resolve(doc);
    }
    return node;
  };
  const fail = (message: string, node: unknown): never => {
    const offset = (node as Node | null)?.range?.[0];
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new InputError("bad-yaml", message, { file, line: pos?.line, column: pos?.col });
  };
  /** A value for `container[key]`, noting a float64 that reads as an integral JS number. */
  const put = (
    container: Record<string, unknown> | unknown[],
    key: string | number,
    node: unknown,
    path: ConfigPath,
  ) => {
    const target = deref(node);
    if (!isScalar(target)) return walk(target, path);
    const { value, float } = scalar(target);
    if (float) noteType(container as never, key, "Double");
    return value;
  };
  /** A scalar as yaml.v3 decodes it; what it refuses (`!!int 5.5`, bad `!!binary`) is bad YAML. */
  const scalar = (node: Scalar) => {
    try {
      return goScalarValue(goYamlNode(node));
    } catch (err) {
      if (err instanceof GoYamlError) fail(err.message, node);
      throw err;
    }
  };
  const walk = (node: unknown, path: ConfigPath): unknown => {
    node = deref(node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      let merge: unknown;
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        // yaml.v3 reads a plain `<<` key as a merge (resolve.go mergeTag, decode.go `merge`).
        if (isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.source === "<<" && !keyNode.tag) {
          merge = pair.value;
          continue;
        }
        const raw = isScalar(keyNode) ? keyNode.value : keyNode;
        const key = String(raw ?? "");
        const parts = key.split("::");
        const full = [...path, ...parts];
        mark(full, keyNode?.range?.[0]);
        const last = parts[parts.length - 1]!;
        const at = nestedParent(out, parts);
        const value = put(at, last, pair.value, full);
        setNested(at, last, value);
      }
      if (merge !== undefined) mergeInto(out, merge, path);
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        mark([...path, i], (item as Node | null)?.range?.[0]);
        out.push(put(out, i, item, [...path, i]));
      });
      return out;
    }
    if (isScalar(node)) return scalar(node).value;
    return node ?? null;
  };
  /**
   * decode.go `merge`: the keys of the merged map (or of each map of a list, the first one that has a
   * key winning) that the mapping does not set itself.
   */
  const mergeInto = (out: Record<string, unknown>, merge: unknown, path: ConfigPath) => {
    const target = deref(merge);
    const sources = isSeq(target) ? target.items.map(deref) : [target];
    for (const source of sources) {
      if (!isMap(source)) fail("map merge requires map or sequence of maps as the value", source);
      const merged = walk(source, path) as Record<string, unknown>;
      for (const [k, v] of Object.entries(merged)) {
        if (Object.hasOwn(out, k)) continue;
        out[k] = v;
        const type = hiddenTypes(merged as never)?.get(k);
        if (type) noteType(out as never, k, type);
      }
    }
  };
  const value = deepOrRefused(file, () => walk(doc.contents, []));
  if (value !== null && !isPlainMap(value)) {
    throw new InputError("bad-otelcol-config", "a collector config must be a YAML map", { file, line: 1 });
  }
  return { file, value: (value as Record<string, unknown> | null) ?? {}, origins };
}

/** The map `parts` (`a::b::c`) is set in under `target`, created where missing. */
function nestedParent(target: Record<string, unknown>, parts: readonly string[]): Record<string, unknown> {
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (isPlainMap(next)) at = next;
    else {
      const created: Record<string, unknown> = {};
      at[part] = created;
      at = created;
    }
  }
  return at;
}

/** Sets `at[key]`, merging into a map already there (`a::b: 1` next to `a: { c: 2 }`). */
function setNested(at: Record<string, unknown>, key: string, value: unknown): void {
  const existing = at[key];
  at[key] = isPlainMap(existing) && isPlainMap(value) ? deepMerge(existing, value) : value;
}

/** The collector's merge of several config files: maps merged key by key, later wins, lists replaced. */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  // Each value keeps the float64-ness noted where it was read (value-types.ts).
  const out: Record<string, unknown> = { ...base };
  carryTypes(base as never, out as never, new Set(Object.keys(over)));
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainMap(prev) && isPlainMap(value) ? deepMerge(prev, value) : value;
    const type = hiddenTypes(over as never)?.get(key);
    if (type) noteType(out as never, key, type);
  }
  return out;
}

export async function readSourceFile(file: string): Promise<SourceFile> {
  return parseSourceFile(await readInputFile(file, "the collector config file"), file);
}

function exists(value: unknown, path: ConfigPath): boolean {
  let at = value;
  for (const key of path) {
    if (typeof key === "number" ? !Array.isArray(at) : !isPlainMap(at)) return false;
    if (!Object.hasOwn(at as object, key)) return false;
    at = (at as Record<string | number, unknown>)[key];
  }
  return true;
}

/**
 * Several files merged in order, remembering which file and line each value of the result came from:
 * a path is located in the last file that defines it, at the deepest part of it that the merge kept.
 */
export class MergedSource {
  readonly value: Record<string, unknown>;
  /** `value` replaces the merged value when it keeps its shape (after `${…}` expansion). */
  constructor(
    readonly files: readonly SourceFile[],
    value?: Record<string, unknown>,
  ) {
    this.value = value ?? files.reduce<Record<string, unknown>>((acc, f) => deepMerge(acc, f.value), {});
  }

  locate(path: ConfigPath): Location {
    const field = fieldPath(path) || undefined;
    for (let depth = path.length; depth >= 1; depth--) {
      const prefix = path.slice(0, depth);
      if (!exists(this.value, prefix)) continue;
      const key = JSON.stringify(prefix);
      for (let i = this.files.length - 1; i >= 0; i--) {
        const f = this.files[i]!;
        const pos = f.origins.get(key);
        if (pos) return { file: f.file, line: pos.line, column: pos.column, field };
      }
    }
    return { file: this.files[this.files.length - 1]?.file, field };
  }
}
