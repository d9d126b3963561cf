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

const ZSTD_MAGIC = 0xfd2fb528;

/** A zstd frame's magic number, or a skippable frame's (0x184D2A50 to 0x184D2A5F), little-endian. */
export function isZstdMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const magic = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0);
  return magic === ZSTD_MAGIC || (magic & 0xfffffff0) === 0x184d2a50;
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
  const { Decompress } = await import("fzstd");
  let out: Uint8Array[] = [];
  const zstd = new Decompress((block) => {
    if (block.length > 0) out.push(block);
  });
  const push = (piece: Uint8Array, final: boolean, at: number) => {
    try {
      zstd.push(piece, final);
    } catch (err) {
      const why = (err as Error).message;
      throw badTrace(
        { file },
        "",
        final && /unexpected EOF/i.test(why)
          ? "the file ends inside a zstd frame: it is still being written (the collector finishes a frame when it flushes), or was cut"
          : `not a valid zstd stream near compressed byte ${at}: ${why}`,
      );
    }
  };
  let at = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let from = 0; from < chunk.length; from += PIECE) {
      push(chunk.subarray(from, from + PIECE), false, at + from);
      if (out.length > 0) {
        yield Buffer.concat(out);
        out = [];
      }
    }
    at += chunk.length;
  }
  push(new Uint8Array(0), true, at);
  if (out.length > 0) yield Buffer.concat(out);
}
