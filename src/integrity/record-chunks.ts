import { open } from "node:fs/promises";

/**
 * A window of a read buffer that holds whole records: buf[from, to) ends just after a newline, or
 * at the end of the file (a last record without its newline was torn by a crash). buf[from − 1]
 * exists, so records can be hashed in place (leafDigestAt). Valid until the next chunk is read.
 */
export interface RecordChunk {
  readonly buf: Buffer;
  readonly from: number;
  readonly to: number;
}

/** Bytes read per call by default; a record longer than this grows the buffer. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Streams a segment (or any newline-separated file) as chunks of whole records, so memory holds a
 * few megabytes whatever the file's size, and no record is copied out of the read buffer.
 */
export async function* readRecordChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<RecordChunk> {
  const handle = await open(path, "r");
  try {
    // buf[0] is the spare byte in front of the first record.
    let buf = Buffer.allocUnsafe(1 + chunkBytes);
    let carry = 0; // bytes of an unfinished record waiting at buf[1, 1 + carry)
    for (;;) {
      if (1 + carry === buf.length) {
        const bigger = Buffer.allocUnsafe(1 + 2 * (buf.length - 1));
        buf.copy(bigger, 1, 1, 1 + carry);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, 1 + carry, buf.length - 1 - carry, null);
      const end = 1 + carry + bytesRead;
      if (bytesRead === 0) {
        if (carry > 0) yield { buf, from: 1, to: end };
        return;
      }
      const lastNewline = buf.lastIndexOf(0x0a, end - 1);
      if (lastNewline < 1) {
        carry = end - 1;
        continue;
      }
      yield { buf, from: 1, to: lastNewline + 1 };
      carry = end - (lastNewline + 1);
      buf.copy(buf, 1, lastNewline + 1, end);
    }
  } finally {
    await handle.close();
  }
}

/** Every record of a file, streamed, as a view into the read buffer (valid until the next is read). */
export async function* readRecordLines(path: string): AsyncGenerator<Buffer> {
  for await (const { buf, from, to } of readRecordChunks(path)) {
    for (let start = from; start < to; ) {
      let nl = buf.indexOf(0x0a, start);
      if (nl < 0 || nl >= to) nl = to;
      yield buf.subarray(start, nl);
      start = nl + 1;
    }
  }
}
