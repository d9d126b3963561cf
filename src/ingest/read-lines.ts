import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { LineSplitter, LineTooLong } from "./line-splitter.js";

/** One non-blank line of a text file, with its 1-based line number. */
export interface NumberedLine {
  readonly text: string;
  readonly line: number;
}

/**
 * How much of a file one read takes. Reads are pulled as lines are consumed, so at most this much (or
 * one line, when longer) is held undecoded.
 */
const READ_BYTES = 256 * 1024;

/**
 * The non-blank lines of a file or stream, one at a time, cut as `node:readline` cuts them (`\r\n`,
 * `\n` or a lone `\r`). A file is read only as fast as its lines are taken, in large reads decoded line by
 * line. A byte-order mark at the start is dropped. A line longer than a JavaScript string can be is an
 * `InputError` naming `file` (the input when it is a path) and the line, not a crash.
 */
export async function* readLines(
  input: string | Readable,
  file = typeof input === "string" ? input : undefined,
): AsyncGenerator<NumberedLine> {
  let line = 0;
  try {
    for await (const texts of typeof input === "string" ? fileLines(input) : streamLines(input)) {
      for (let text of texts) {
        line++;
        if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (isBlank(text)) continue;
        yield { text, line };
      }
    }
  } catch (err) {
    if (!(err instanceof LineTooLong)) throw err;
    throw new InputError(
      "bad-json",
      `the line is longer than ${err.maxLineBytes} bytes, more than trailcheck can read as one JSON value`,
      { file, line: line + err.index + 1 },
    );
  }
}

async function* fileLines(file: string): AsyncGenerator<string[]> {
  const handle = await open(file, "r");
  const lines = new LineSplitter(READ_BYTES);
  const readMore = () => {
    const { buffer, offset, length } = lines.room();
    return handle.read(buffer, offset, length, null);
  };
  // The next read runs while the lines of the last one are taken: they are decoded already, and the
  // read fills only the room after the bytes held.
  let next: Promise<{ bytesRead: number }> | undefined = readMore();
  try {
    for (;;) {
      const { bytesRead } = await next;
      next = undefined;
      lines.wrote(bytesRead);
      const texts = lines.take(bytesRead === 0);
      if (bytesRead === 0) {
        yield texts;
        return;
      }
      next = readMore();
      yield texts;
    }
  } finally {
    // A consumer that stops early leaves a read running: it ends before the file is closed.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

async function* streamLines(stream: Readable): AsyncGenerator<string[]> {
  const lines = new LineSplitter(READ_BYTES);
  try {
    for await (const chunk of stream) {
      lines.append(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Uint8Array));
      yield lines.take(false);
    }
    yield lines.take(true);
  } finally {
    stream.destroy();
  }
}

/** A line of spaces, tabs and carriage returns only: readers skip it. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** The first byte of `bytes` that is not JSON white space (space, tab, `\n`, `\r`): `{` opens JSON. */
export function firstNonBlank(bytes: Uint8Array): number | undefined {
  return bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
}

/** How much of a file format detection looks at. */
export const HEAD_BYTES = 64 * 1024;

/** The first `bytes` bytes of a file as text (a partial character at the cut is dropped). */
export async function readHead(file: string, bytes = HEAD_BYTES): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    let text = new TextDecoder("utf-8", { fatal: false }).decode(buffer.subarray(0, bytesRead), {
      stream: true,
    });
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } finally {
    await handle.close();
  }
}

/** The first non-blank line of a file's head. */
export interface FirstLine {
  readonly text: string;
  /** The line ends inside the head (else it runs on past it). */
  readonly complete: boolean;
  /** More non-blank text follows the line inside the head. */
  readonly more: boolean;
}

export function firstLine(head: string): FirstLine {
  let start = 0;
  for (;;) {
    const nl = head.indexOf("\n", start);
    const text = nl < 0 ? head.slice(start) : head.slice(start, nl);
    if (text.trim() !== "" || nl < 0) {
      return { text: text.trim(), complete: nl >= 0, more: nl >= 0 && head.slice(nl + 1).trim() !== "" };
    }
    start = nl + 1;
  }
}
