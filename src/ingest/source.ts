import { InputError, parserMessage, refuseDeepNesting } from "../errors.js";

/** Where the data being read came from: the file and, for line formats, the 1-based line. */
export interface IngestSource {
  readonly file?: string;
  readonly line?: number;
}

/** Invalid trace data: names the file, the line and the field path, so the user can find it. */
export function badTrace(source: IngestSource | undefined, field: string, message: string): InputError {
  return new InputError("bad-trace", message, { file: source?.file, line: source?.line, field });
}

/** `JSON.parse` with an `InputError` that names the file and line instead of a bare SyntaxError. */
export function parseJson(text: string, source: IngestSource | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError("bad-json", `not valid JSON: ${parserMessage(err)}`, {
      file: source?.file,
      line: source?.line,
    });
  }
}

/**
 * Runs a conversion, turning a stack overflow from hostile nesting into an `InputError`, so a
 * crafted file can't crash the process with a RangeError.
 */
export function guardDepth<T>(source: IngestSource | undefined, run: () => T): T {
  return refuseDeepNesting(run, () => badTrace(source, "", "value nested too deeply"));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets `key` as an own property even when it is `__proto__`, so input can't replace a prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
