import { createReadStream } from "node:fs";
import { parser } from "stream-json";
import Assembler from "stream-json/assembler.js";
import { InputError } from "../errors.js";

/** A path into a JSON document: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** One selected sub-value of a streamed document. */
export interface JsonPart {
  readonly path: JsonPath;
  readonly value: unknown;
}

type Token = { name: string; value?: unknown };

/**
 * Streams the sub-values of a JSON file whose paths `select` accepts, one at a time, without ever
 * holding the whole file: only the selected values are assembled. Concatenated documents (JSON
 * streaming) are read in turn, each starting again at the root path.
 */
export async function* streamJsonParts(
  file: string,
  select: (path: JsonPath) => boolean,
): AsyncGenerator<JsonPart> {
  const input = createReadStream(file);
  const tokens = parser.asStream({ packValues: true, streamValues: false, jsonStreaming: true });
  input.on("error", (err) => tokens.destroy(err));
  input.pipe(tokens);
  /** Key or index at each open container; `isArray` says which. */
  const path: (string | number)[] = [];
  const isArray: boolean[] = [];
  let asm: Assembler | undefined;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (asm) {
        asm.consume(token as never);
        if (asm.done) {
          yield { path: [...path], value: asm.current };
          asm = undefined;
        }
        continue;
      }
      const name = token.name;
      if (name === "keyValue") {
        path[path.length - 1] = token.value as string;
        continue;
      }
      if (name === "endObject" || name === "endArray") {
        path.pop();
        isArray.pop();
        continue;
      }
      // A value starts here.
      if (isArray[isArray.length - 1]) (path[path.length - 1] as number)++;
      if (path.length > 0 && select(path)) {
        if (name === "startObject" || name === "startArray") {
          asm = new Assembler();
          asm.consume(token as never);
        } else {
          yield { path: [...path], value: scalar(token) };
        }
        continue;
      }
      if (name === "startObject") {
        path.push("");
        isArray.push(false);
      } else if (name === "startArray") {
        path.push(-1);
        isArray.push(true);
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError("bad-json", `not valid JSON: ${(err as Error).message}`, { file });
  } finally {
    input.destroy();
    tokens.destroy();
  }
}

function scalar(token: Token): unknown {
  if (token.name === "numberValue") return Number(token.value);
  return token.value;
}
