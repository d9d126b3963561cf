import { constants } from "node:buffer";
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
 * The longest record read: no writer makes a longer one (a JavaScript string holds no more, and the
 * ingest refuses longer lines too), and reading on would hold the whole line, however long, in memory.
 */
export const MAX_RECORD_BYTES = constants.MAX_STRING_LENGTH;

/** A record longer than the reader takes: callers say which file, and why that makes it bad input. */
export class RecordTooLong extends Error {
  constructor(
    /** Byte offset in the file where the record starts. */
    readonly offset: number,
    readonly limit: number,
  ) {
    super(`the record starting at byte ${offset} is longer than ${limit} bytes`);
    this.name = "RecordTooLong";
  }
}

/**
 * Streams a segment (or any newline-separated file) as chunks of whole records, so memory holds a
 * few megabytes whatever the file's size, and no record is copied out of the read buffer. Two buffers
 * take turns: while the caller hashes one chunk, the next is already being read into the other, so the
 * reads (done off this thread) overlap the caller's work instead of adding to it.
 */
export async function* readRecordChunks(
  path: string,
  chunkBytes = CHUNK_BYTES,
  maxRecordBytes = MAX_RECORD_BYTES,
): AsyncGenerator<RecordChunk> {
  const handle = await open(path, "r");
  // buf[0] of each is the spare byte in front of the first record.
  const bufs = [Buffer.allocUnsafe(1 + chunkBytes), Buffer.allocUnsafe(1 + chunkBytes)];
  let turn = 0;
  /** Reads after the `carry` bytes of an unfinished record already at bufs[turn][1, 1 + carry). */
  const readInto = (carry: number) => {
    const buf = bufs[turn]!;
    const read = handle.read(buf, 1 + carry, buf.length - 1 - carry, null);
    // A read that fails while the caller is busy with a chunk fails when it is awaited, not before as
    // an unhandled rejection.
    read.catch(() => undefined);
    return read;
  };
  let carry = 0;
  /** Where in the file the carried bytes start. */
  let carriedAt = 0;
  let reading = readInto(carry);
  try {
    for (;;) {
      const { bytesRead } = await reading;
      const buf = bufs[turn]!;
      const end = 1 + carry + bytesRead;
      if (bytesRead === 0) {
        if (carry > 0) yield { buf, from: 1, to: end };
        return;
      }
      const lastNewline = buf.lastIndexOf(0x0a, end - 1);
      // No whole record yet: all of it is carried (into a buffer twice the size once it is full).
      const to = lastNewline < 1 ? 1 : lastNewline + 1;
      carriedAt += to - 1;
      carry = end - to;
      if (carry > maxRecordBytes) throw new RecordTooLong(carriedAt, maxRecordBytes);
      turn = 1 - turn;
      if (1 + carry >= bufs[turn]!.length)
        bufs[turn] = Buffer.allocUnsafe(1 + 2 * Math.max(carry, chunkBytes));
      buf.copy(bufs[turn]!, 1, to, end);
      reading = readInto(carry);
      if (to > 1) yield { buf, from: 1, to };
    }
  } finally {
    // A caller that stops early leaves a read in flight: it ends before the file is closed.
    await reading.catch(() => undefined);
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
