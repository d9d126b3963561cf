/**
 * Record lines as the bytes a segment holds: UTF-8, each followed by a newline, after one spare byte
 * (so each record can be hashed where it lies, see hashAt). One encode per line straight into place:
 * no joined string, no Buffer per line. The lines must not hold a newline themselves.
 */
export function encodeLines(lines: readonly string[], from = 0, to = lines.length): Buffer {
  let chars = 0;
  for (let i = from; i < to; i++) chars += lines[i]!.length;
  // A UTF-16 code unit never takes more than three bytes of UTF-8.
  const buf = Buffer.allocUnsafe(1 + 3 * chars + (to - from));
  let at = 1;
  for (let i = from; i < to; i++) {
    at += buf.write(lines[i]!, at);
    buf[at++] = 0x0a;
  }
  return buf.subarray(0, at);
}
