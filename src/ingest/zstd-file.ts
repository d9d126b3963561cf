import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { badTrace } from "./source.js";

/**
 * Whole-file zstd: the collector's file exporter with `compression: zstd` and its
 * `exporter.file.nativeCompression` feature gate (alpha, v0.154.0) compresses the file itself, not
 * each message (compression_writer.go): one stream finished at each flush, or one frame per write
 * when the file rotates. What it decompresses to is what the exporter writes without compression:
 * JSON lines for `format: json`, 4-byte length-prefixed messages for `format: proto`
 * (buildExportFunc in file_writer.go).
 */

/** What a zstd frame opens with, read as a little-endian 32-bit number (RFC 8878 §3.1.1). */
export const ZSTD_MAGIC = 0xfd2fb528;

/** A zstd frame's magic number, or a skippable frame's (0x184D2A50 to 0x184D2A5F), little-endian. */
export function isZstdMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const magic = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0);
  return magic === ZSTD_MAGIC || isSkippableMagic(magic);
}

/** A skippable frame's magic number: 0x184D2A50 to 0x184D2A5F (RFC 8878 §3.1.2). */
export function isSkippableMagic(magic: number): boolean {
  return (magic & 0xfffffff0) === 0x184d2a50;
}

/** The file opens with a zstd frame: it is compressed as a whole. */
export async function isZstdFile(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return isZstdMagic(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Compressed bytes go to the decoder this many at a time, and what it gave back is handed on before
 * the next: a frame of zeros expands some 30,000-fold, so a piece of 1 KiB yields at most some tens
 * of megabytes, however large the frame says it is. fzstd's decoder keeps the pieces of a block until
 * the block is whole, so pieces much smaller than a block cost little.
 */
const PIECE = 1024;

/**
 * The decompressed bytes of a whole-file zstd export, as they are read: memory holds a chunk of the
 * file and what one piece of it expands to. A corrupt stream, or one that ends inside a frame (the
 * collector still writing it, or a copy cut short), is an `InputError` naming the file.
 */
export function zstdFileStream(file: string): Readable {
  return Readable.from(decompressed(file));
}

/** The first `bytes` bytes (or fewer, at the end) that a whole-file zstd export decompresses to. */
export async function zstdFileHead(file: string, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let held = 0;
  for await (const chunk of decompressed(file)) {
    parts.push(chunk);
    held += chunk.length;
    if (held >= bytes) break;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

async function* decompressed(file: string): AsyncGenerator<Buffer> {
  // Loaded when a file needs it: detection imports this module for every trace file.
  const { CheckedZstd, frameAt, loadXxhash } = await import("./zstd-frames.js");
  let out: Uint8Array[] = [];
  const zstd = new CheckedZstd(await loadXxhash(), (block) => {
    if (block.length > 0) out.push(block);
  });
  const compressed = new Held();
  let frames = 0;
  const refuse = (why: string) => badTrace({ file }, "", why);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    compressed.append(chunk);
    // Whole frames are decompressed, a piece at a time, and checked against their checksums; the
    // rest waits for more of the file.
    for (;;) {
      const bytes = compressed.bytes();
      let frame: ReturnType<typeof frameAt>;
      try {
        frame = frameAt(bytes, 0);
      } catch {
        throw refuse(
          `not a valid zstd stream: frame ${frames + 1} starts at compressed byte ${compressed.offset}`,
        );
      }
      if (frame === undefined) break;
      frames++;
      for (let from = 0; from < frame.end; from += PIECE) {
        try {
          zstd.push(bytes.subarray(from, Math.min(from + PIECE, frame.end)), false);
        } catch (err) {
          throw refuse(
            `not a valid zstd stream in frame ${frames} (compressed bytes ${compressed.offset}–${compressed.offset + frame.end}): ${(err as Error).message}`,
          );
        }
        if (out.length > 0) {
          yield Buffer.concat(out);
          out = [];
        }
      }
      if (!zstd.endFrame(frame)) {
        throw refuse(
          `zstd frame ${frames} (compressed bytes ${compressed.offset}–${compressed.offset + frame.end}) does not match its checksum: its bytes changed after they were written`,
        );
      }
      compressed.consume(frame.end);
    }
  }
  if (compressed.bytes().length > 0) {
    throw refuse(
      "the file ends inside a zstd frame: it is still being written (the collector finishes a frame when it flushes), or was cut",
    );
  }
}

/** Bytes read and not yet taken, in a buffer grown by doubling, so a large frame is copied a few times, not at every read. */
class Held {
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Where the bytes held begin, in the file. */
  offset = 0;

  append(chunk: Buffer): void {
    if (this.buf.length - this.end < chunk.length) {
      const held = this.end - this.start;
      const grown =
        held + chunk.length > this.buf.length / 2
          ? Buffer.alloc(Math.max(2 * this.buf.length, held + chunk.length))
          : this.buf;
      this.buf.copy(grown, 0, this.start, this.end);
      this.buf = grown;
      this.start = 0;
      this.end = held;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  bytes(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  consume(bytes: number): void {
    this.start += bytes;
    this.offset += bytes;
  }
}
