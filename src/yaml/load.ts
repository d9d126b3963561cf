import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { InputError, type Location } from "../errors.js";
import { nodeLocation, zodIssueLocation } from "./locate.js";

/** A validated YAML file, and where each of its values is written. */
export interface LocatedYaml<T> {
  readonly value: T;
  /** The file, line and column of the value at `path` (or of its deepest part that exists). */
  locate(path: readonly PropertyKey[]): Location;
}

/** Parses YAML text and validates it, throwing an InputError that names the file, line and field. */
export function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  code: string,
): z.infer<S> {
  return parseLocatedYaml(text, schema, file, code).value;
}

/** `parseYaml`, keeping where each value is written for checks that come after the schema's. */
export function parseLocatedYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  code: string,
): LocatedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    const message = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError("bad-yaml", message, { file, line: pos?.line, column: pos?.col });
  }
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more =
      parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : "";
    throw new InputError(code, `${issue.message}${more}`, zodIssueLocation(doc, issue, file, lineCounter));
  }
  return { value: parsed.data, locate: (path) => nodeLocation(doc, path, file, lineCounter) };
}

/** Reads a YAML file and validates it (see `parseYaml`). */
export async function loadYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  code: string,
): Promise<z.infer<S>> {
  return (await loadLocatedYaml(file, schema, code)).value;
}

/** Reads a YAML file and validates it (see `parseLocatedYaml`). */
export async function loadLocatedYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  code: string,
): Promise<LocatedYaml<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError("file-not-found", "cannot read the file", { file });
  }
  return parseLocatedYaml(text, schema, file, code);
}
