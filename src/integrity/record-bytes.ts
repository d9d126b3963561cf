/**
 * Record lines as the bytes a segment holds: UTF-8, each followed by a newline, after one spare byte
 * (so each record can be hashed where it lies, see hashAt). One encode per line straight into place:
 * no joined string, no Buffer per line. The lines must not hold a newline themselves.
 */
export function encodeLines(lines: readonly string[], from = 0, to = lines.length): Buffer {
  const buf = Buffer.allocUnsafe(encodedBound(lines, from, to));
  return buf.subarray(0, writeLines(buf, lines, from, to));
}

/**
 * encodeLines into one buffer kept from call to call, for a caller that encodes batch after batch (a
 * stream sealing run after run): a fresh buffer of a few kilobytes per batch is an allocation above
 * Buffer's pool each time. It also keeps where each line ends, so a line is hashed by its place (one
 * holding a newline too) without a search for newlines. What it returns is valid until the next call.
 * A batch larger than `keep` bytes gets a buffer of its own, so one huge batch does not stay in memory.
 */
export class LineEncoder {
  private buf = Buffer.allocUnsafe(0);
  private readonly ends: number[] = [];

  constructor(private readonly keep = 1 << 20) {}

  encode(lines: readonly string[], from = 0, to = lines.length): Buffer {
    const bound = encodedBound(lines, from, to);
    let buf = this.buf;
    if (bound > this.keep) buf = Buffer.allocUnsafe(bound);
    else if (bound > buf.length) {
      buf = Buffer.allocUnsafe(Math.min(this.keep, Math.max(bound, 2 * buf.length)));
      this.buf = buf;
    }
    this.ends.length = 0;
    return buf.subarray(0, writeLines(buf, lines, from, to, this.ends));
  }

  /** The offset of the newline after the k-th line of the last batch encoded. */
  endOf(k: number): number {
    return this.ends[k]!;
  }
}

/** Bytes enough for the lines: a UTF-16 code unit never takes more than three bytes of UTF-8. */
function encodedBound(lines: readonly string[], from: number, to: number): number {
  let chars = 0;
  for (let i = from; i < to; i++) chars += lines[i]!.length;
  return 1 + 3 * chars + (to - from);
}

/** Writes the lines from buf[1] on, each followed by a newline (noted in `ends`); returns the end. */
function writeLines(
  buf: Buffer,
  lines: readonly string[],
  from: number,
  to: number,
  ends?: number[],
): number {
  let at = 1;
  for (let i = from; i < to; i++) {
    at += buf.write(lines[i]!, at);
    ends?.push(at);
    buf[at++] = 0x0a;
  }
  return at;
}
