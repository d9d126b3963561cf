import { readFile, stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { SpanRecord } from "../model/record.js";
import { WHOLE_DOCUMENT_LIMIT } from "./formats.js";
import { type JsonPath, streamJsonParts } from "./json-stream.js";
import { type AgentsItemHint, OpenAIAgentsAssembler } from "./openai-agents.js";
import { firstLine, readHead, readLines } from "./read-lines.js";
import { guardDepth, type IngestSource, parseJson } from "./source.js";

export interface AgentsReadOptions {
  /** Keep only the spans of this trace (32 lowercase hex digits). */
  readonly traceId?: string;
}

const CONTAINER_HINTS: Record<string, AgentsItemHint> = {
  data: undefined,
  traces: "trace",
  spans: "trace.span",
};

/**
 * Reads an OpenAI Agents SDK trace file. One object per line (JSONL, also lines holding a `{data}`
 * batch) is read line by line; a single document is parsed whole up to 64 MB and streamed item by
 * item beyond, as are concatenated documents (a file exporter appending one array per batch).
 */
export async function* readOpenAIAgentsFile(
  file: string,
  options: AgentsReadOptions = {},
): AsyncGenerator<SpanRecord> {
  const assembler = new OpenAIAgentsAssembler(options.traceId);
  const first = firstLine(await readHead(file));
  if (isLineFormat(first)) {
    for await (const { text, line } of readLines(file)) {
      const source = { file, line };
      const body = parseJson(text, source);
      yield* guardDepth(source, () => assembler.addDocument(body, source));
    }
  } else {
    const source: IngestSource = { file };
    const { size } = await stat(file);
    let body: unknown;
    let text: string | undefined;
    if (size <= WHOLE_DOCUMENT_LIMIT) {
      text = await readFile(file, "utf8");
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined; // concatenated documents, or broken JSON: the streaming reader tells which
      }
    }
    if (body !== undefined) {
      yield* guardDepth(source, () => assembler.addDocument(body, source));
    } else {
      try {
        for await (const { path, value } of streamJsonParts(file, isItemPath)) {
          const at = path.length === 1 ? `[${path[0]}]` : `${path[0]}[${path[1]}]`;
          const hint = path.length === 1 ? undefined : CONTAINER_HINTS[path[0] as string];
          yield* guardDepth(source, () => assembler.add(value, source, at, hint));
        }
      } catch (err) {
        // Broken rather than concatenated: JSON.parse's message says where.
        if (text !== undefined && err instanceof InputError && err.code === "bad-json")
          parseJson(text, source);
        throw err;
      }
    }
  }
  yield* assembler.finish();
}

/** A first line that is a whole JSON object on its own means one item (or batch) per line. */
function isLineFormat(first: { text: string; complete: boolean }): boolean {
  if (!first.text.startsWith("{")) return false;
  if (!first.complete) return /^\{\s*"(object|id|trace_id)"/.test(first.text);
  try {
    JSON.parse(first.text);
    return true;
  } catch {
    return false;
  }
}

function isItemPath(path: JsonPath): boolean {
  if (path.length === 1) return typeof path[0] === "number";
  return (
    path.length === 2 && typeof path[1] === "number" && Object.hasOwn(CONTAINER_HINTS, path[0] as string)
  );
}
