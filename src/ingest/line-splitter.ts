import { constants } from "node:buffer";

/**
 * Cuts bytes into lines the way `node:readline` does (`\r\n`, `\n` or a lone `\r` ends a line; a last line
 * without an end counts; an empty one after the last end does not), decoding each whole line once as
 * UTF-8. Bytes are written straight into its buffer (a file read) or appended (a stream's chunks); a line
 * longer than the buffer grows it. A line end byte never occurs inside a UTF-8 sequence, so decoding line
 * by line gives the text decoding the whole input would.
 */
export class LineSplitter {
  private buf: Buffer;
  /** Bytes held: `buf[0, held)`, every one after the last line end taken. */
  private held = 0;
  /** Held bytes known to hold no line end: a line longer than one read is searched once, not at each read. */
  private searched = 0;

  /**
   * `maxLineBytes`: a longer line is a `LineTooLong` as soon as that much of it is held, instead of a
   * buffer grown to its length and a decode that fails (a JavaScript string holds at most
   * `MAX_STRING_LENGTH` characters, the default).
   */
  constructor(
    private readonly chunkBytes: number,
    private readonly maxLineBytes = constants.MAX_STRING_LENGTH,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Where the next bytes go: at least `chunkBytes` of room after what is held. */
  room(): { buffer: Buffer; offset: number; length: number } {
    if (this.buf.length - this.held < this.chunkBytes) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.held + this.chunkBytes));
      this.buf.copy(grown, 0, 0, this.held);
      this.buf = grown;
    }
    return { buffer: this.buf, offset: this.held, length: this.buf.length - this.held };
  }

  /** `bytes` were written at `room().offset`. */
  wrote(bytes: number): void {
    this.held += bytes;
  }

  /** Copies `chunk` in (a stream's data). */
  append(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length) {
      const { buffer, offset, length } = this.room();
      const n = Math.min(length, chunk.length - from);
      buffer.set(chunk.subarray(from, from + n), offset);
      this.wrote(n);
      from += n;
    }
  }

  /** The complete lines held, in order; with `final`, the input is over and the rest is a line too. */
  take(final: boolean): string[] {
    const lines: string[] = [];
    // Only what ends with a `\n` is cut before the end: a `\r` last may be half of a `\r\n`.
    const end = final ? this.held : this.lastLineEnd();
    if (end > 0) {
      this.cut(end, lines);
      this.buf.copy(this.buf, 0, end, this.held);
      this.held -= end;
    }
    this.searched = this.held;
    if (this.held > this.maxLineBytes) throw new LineTooLong(lines.length, this.maxLineBytes);
    return lines;
  }

  /** Where the bytes after the last `\n` held begin (0 when there is none), searching only new bytes. */
  private lastLineEnd(): number {
    const at = this.buf.subarray(this.searched, this.held).lastIndexOf(10);
    return at < 0 ? 0 : this.searched + at + 1;
  }

  /** The lines of `buf[0, end)`; bytes after the last line end are a line when there are any. */
  private cut(end: number, lines: string[]): void {
    const { buf } = this;
    let nextNl = -2;
    let nextCr = -2;
    for (let at = 0; at < end; ) {
      if (nextNl < at && nextNl !== -1) nextNl = bounded(buf.indexOf(10, at), end);
      if (nextCr < at && nextCr !== -1) nextCr = bounded(buf.indexOf(13, at), end);
      const stop = nextCr >= 0 && (nextNl < 0 || nextCr < nextNl) ? nextCr : nextNl;
      if ((stop < 0 ? end : stop) - at > this.maxLineBytes)
        throw new LineTooLong(lines.length, this.maxLineBytes);
      if (stop < 0) {
        lines.push(buf.toString("utf8", at, end));
        return;
      }
      lines.push(buf.toString("utf8", at, stop));
      at = stop === nextCr && stop + 1 === nextNl ? stop + 2 : stop + 1;
    }
  }
}

/** A line longer than a `LineSplitter` takes: the `index`-th (0-based) of the lines after those taken. */
export class LineTooLong extends Error {
  constructor(
    readonly index: number,
    readonly maxLineBytes: number,
  ) {
    super(`a line is longer than ${maxLineBytes} bytes`);
    this.name = "LineTooLong";
  }
}

/** An index found by `indexOf` if it falls before `end`, else -1. */
function bounded(index: number, end: number): number {
  return index < end ? index : -1;
}
