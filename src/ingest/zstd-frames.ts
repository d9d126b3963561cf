import { Decompress } from "fzstd";
import type { XXHash, XXHashAPI } from "xxhash-wasm";
import { isSkippableMagic, ZSTD_MAGIC } from "./zstd-file.js";

/**
 * zstd frames laid out as RFC 8878 §3.1 lays them out: a magic number, a frame header, blocks that each
 * open with 3 bytes (last-block bit, type, size; an RLE block holds one byte whatever its size says),
 * then, when the header's flag says so, the content checksum: the low 32 bits of XXH64 (seed 0) of the
 * frame's content, little-endian (§3.1.1 "Content_Checksum"). Skippable frames (§3.1.2) hold a 4-byte
 * size and that many bytes. fzstd, the decoder, skips checksums; walking the frames finds them, so that
 * a frame whose content changed is refused as `zstd -d` refuses it.
 */
export interface FrameSpan {
  /** The byte after the frame. */
  readonly end: number;
  /** The checksum the frame carries, when it carries one. */
  readonly checksum?: number;
  readonly skippable: boolean;
}

/**
 * The frame that begins at `bytes[at]`, or undefined when `bytes` ends before it does. Bytes that do
 * not open a frame throw: the decoder says what is wrong with them.
 */
export function frameAt(bytes: Uint8Array, at: number): FrameSpan | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length - at < 4) return undefined;
  const magic = view.getUint32(at, true);
  if (isSkippableMagic(magic)) {
    if (bytes.length - at < 8) return undefined;
    const end = at + 8 + view.getUint32(at + 4, true);
    return end <= bytes.length ? { end, skippable: true } : undefined;
  }
  if (magic !== ZSTD_MAGIC) throw new Error("not a zstd frame");
  if (bytes.length - at < 5) return undefined;
  const descriptor = bytes[at + 4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const hasChecksum = (descriptor >> 2) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const sizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6]!;
  let pos = at + 5 + (singleSegment ? 0 : 1) + dictionaryBytes + sizeBytes;
  for (;;) {
    if (bytes.length - pos < 3) return undefined;
    const header = bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16);
    const type = (header >> 1) & 3;
    pos += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  if (!hasChecksum) return pos <= bytes.length ? { end: pos, skippable: false } : undefined;
  if (bytes.length - pos < 4) return undefined;
  return { end: pos + 4, checksum: view.getUint32(pos, true), skippable: false };
}

/**
 * fzstd's streaming decoder with each frame's content checksum checked: push a frame's bytes (in as
 * many pieces as wanted), then `endFrame` with its span says whether its content is what was written.
 */
export class CheckedZstd {
  private hash: XXHash<bigint>;
  private readonly zstd: Decompress;

  constructor(
    private readonly xxh: XXHashAPI,
    ondata: (block: Uint8Array) => void,
  ) {
    this.hash = xxh.create64();
    this.zstd = new Decompress((block) => {
      this.hash.update(block);
      ondata(block);
    });
  }

  push(bytes: Uint8Array, final: boolean): void {
    this.zstd.push(bytes, final);
  }

  /** The frame pushed last is whole: its content matches its checksum (one without matches). */
  endFrame(frame: FrameSpan): boolean {
    const ok = frame.checksum === undefined || Number(this.hash.digest() & 0xffffffffn) === frame.checksum;
    this.hash = this.xxh.create64();
    return ok;
  }
}

/** The XXH64 implementation, loaded once when a zstd frame is first read. */
let loaded: Promise<XXHashAPI> | undefined;
export function loadXxhash(): Promise<XXHashAPI> {
  loaded ??= import("xxhash-wasm").then((m) => m.default());
  return loaded;
}
