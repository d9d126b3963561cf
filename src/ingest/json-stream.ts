import { createReadStream } from "node:fs";
import Assembler from "stream-json/assembler.js";
import { jsonParser } from "stream-json/core/parser.js";
import { fileSystemError, InputError, parserMessage } from "../errors.js";

/** A path into a JSON document: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** One selected sub-value of a streamed document. */
export interface JsonPart {
  readonly path: JsonPath;
  readonly value: unknown;
}

type Token = { name: string; value?: unknown };
/** stream-chain's "no value" marker; passing it to the parser flushes it. */
const NONE = Symbol.for("object-stream.none");

/**
 * Streams the sub-values of a JSON file whose paths `select` accepts, one at a time, without ever
 * holding the whole file: only the selected values are assembled. Concatenated documents (JSON
 * streaming) are read in turn, each starting again at the root path. stream-json's tokenizer is
 * driven synchronously chunk by chunk, which is several times faster than its Node stream wrapper.
 */
export async function* streamJsonParts(
  file: string,
  select: (path: JsonPath) => boolean,
): AsyncGenerator<JsonPart> {
  const parse = jsonParser({ packValues: true, streamValues: false, jsonStreaming: true }) as unknown as (
    chunk: string | symbol,
  ) => { values: Token[] } | symbol;
  const walker = new PathWalker(select);
  const input = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let first = true;
  try {
    for await (let chunk of input as AsyncIterable<string>) {
      if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
      yield* walker.feed(parse(chunk));
    }
    yield* walker.feed(parse(NONE));
  } catch (err) {
    if (err instanceof InputError) throw err;
    const where = walker.where();
    const place = { file, ...(where ? { field: where } : {}) };
    if (err instanceof RangeError && /string length/i.test(err.message)) {
      // V8 holds no string longer than 2^29 - 24 characters: one value of the document is longer.
      throw new InputError("bad-json", "a value in it is longer than the 512 MiB a string can hold", place);
    }
    throw (
      fileSystemError(err, "cannot read the file", file) ??
      new InputError("bad-json", `not valid JSON: ${parserMessage(err)}`, place)
    );
  } finally {
    input.destroy();
  }
}

/** Tracks the path of every token and assembles the selected values. */
class PathWalker {
  /** Key or index at each open container; `isArray` says which. */
  private readonly path: (string | number)[] = [];
  private readonly isArray: boolean[] = [];
  private asm: Assembler | undefined;

  constructor(private readonly select: (path: JsonPath) => boolean) {}

  /** The path of the value being read, as `resourceSpans[0].scopeSpans[1]`; empty at the root. */
  where(): string {
    let out = "";
    for (const part of this.path) {
      if (typeof part === "number") out += `[${Math.max(part, 0)}]`;
      else out += /^[A-Za-z_$][\w$]*$/.test(part) ? `${out ? "." : ""}${part}` : `[${JSON.stringify(part)}]`;
    }
    return out;
  }

  feed(result: { values: Token[] } | symbol): JsonPart[] {
    if (typeof result === "symbol") return [];
    const out: JsonPart[] = [];
    for (const token of result.values) {
      const part = this.push(token);
      if (part) out.push(part);
    }
    return out;
  }

  private push(token: Token): JsonPart | undefined {
    const { path, isArray } = this;
    if (this.asm) {
      this.asm.consume(token as never);
      if (!this.asm.done) return undefined;
      const value = this.asm.current;
      this.asm = undefined;
      return { path: [...path], value };
    }
    const name = token.name;
    if (name === "keyValue") {
      path[path.length - 1] = token.value as string;
      return undefined;
    }
    if (name === "endObject" || name === "endArray") {
      path.pop();
      isArray.pop();
      return undefined;
    }
    // A value starts here.
    if (isArray[isArray.length - 1]) (path[path.length - 1] as number)++;
    if (path.length > 0 && this.select(path)) {
      if (name !== "startObject" && name !== "startArray") {
        return { path: [...path], value: name === "numberValue" ? Number(token.value) : token.value };
      }
      this.asm = new Assembler();
      this.asm.consume(token as never);
      return undefined;
    }
    if (name === "startObject") {
      path.push("");
      isArray.push(false);
    } else if (name === "startArray") {
      path.push(-1);
      isArray.push(true);
    }
    return undefined;
  }
}
