import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { InputError, type InputErrorCode, type Location, refuseDeepNesting } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { nodeLocation, zodIssueLocation } from "./locate.js";
import { readableIssue } from "./union-issue.js";

/** A validated YAML file, and where each of its values is written. */
export interface LocatedYaml<T> {
  readonly value: T;
  /** The file, line and column of the value at `path` (or of its deepest part that exists). */
  locate(path: readonly PropertyKey[]): Location;
}

/** Aliases a document may expand: enough for any config, far too few for an exponential "billion laughs". */
export const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain values. The yaml package stops an alias bomb with a ReferenceError and a
 * document nested thousands deep overflows the stack: both are the file's fault (exit 2), not a crash.
 */
export function toPlain(doc: Document, file: string): unknown {
  try {
    return deepOrRefused(file, () => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new InputError(
        "bad-yaml",
        `too many alias expansions (more than ${MAX_ALIAS_COUNT}): an alias bomb is refused`,
        { file },
      );
    }
    throw err;
  }
}

/** A recursive step over a YAML document; a stack overflow means it is nested too deeply (exit 2). */
export function deepOrRefused<T>(file: string, step: () => T): T {
  return refuseDeepNesting(
    step,
    () => new InputError("bad-yaml", "the document is nested too deeply", { file }),
  );
}

/**
 * Called with the document, its plain value and the validated value made from it, for what only the
 * nodes tell (which numbers were written as floats, yaml/float-literals.ts).
 */
export type AfterParse = (doc: Document, plain: unknown, parsed: unknown) => void;

/** Parses YAML text and validates it, throwing an InputError that names the file, line and field. */
export function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  code: InputErrorCode,
): z.infer<S> {
  return parseLocatedYaml(text, schema, file, code).value;
}

/** `parseYaml`, keeping where each value is written for checks that come after the schema's. */
export function parseLocatedYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  code: InputErrorCode,
  afterParse?: AfterParse,
): LocatedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  // Warnings (an unknown tag) stay in the document; printed, they would read like a crash on stderr.
  const doc = deepOrRefused(file, () =>
    parseDocument(text, { lineCounter, uniqueKeys: true, logLevel: "error" }),
  );
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    const first = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    const message = /call stack/i.test(first) ? "the document is nested too deeply" : first;
    throw new InputError("bad-yaml", message, { file, line: pos?.line, column: pos?.col });
  }
  const plain = toPlain(doc, file);
  const parsed = deepOrRefused(file, () => schema.safeParse(plain));
  if (!parsed.success) {
    const issue = readableIssue(parsed.error.issues[0]!);
    const more =
      parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : "";
    throw new InputError(code, `${issue.message}${more}`, zodIssueLocation(doc, issue, file, lineCounter));
  }
  if (afterParse) deepOrRefused(file, () => afterParse(doc, plain, parsed.data));
  return { value: parsed.data, locate: (path) => nodeLocation(doc, path, file, lineCounter) };
}

/** Reads a YAML file and validates it (see `parseYaml`). */
export async function loadYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  code: InputErrorCode,
): Promise<z.infer<S>> {
  return (await loadLocatedYaml(file, schema, code)).value;
}

/** Reads a YAML file and validates it (see `parseLocatedYaml`). */
export async function loadLocatedYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  code: InputErrorCode,
  afterParse?: AfterParse,
): Promise<LocatedYaml<z.infer<S>>> {
  return parseLocatedYaml(await readInputFile(file), schema, file, code, afterParse);
}
