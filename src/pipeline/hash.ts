/** The 16 bytes of a 32-hex-digit trace id (an invalid id reads as zeros where digits are missing). */
export function traceIdBytes(traceId: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(traceId.slice(2 * i, 2 * i + 2), 16) || 0;
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a 32-bit over the concatenation of the given byte strings (Go's `hash/fnv` New32a). */
export function fnv1a32(...parts: readonly Uint8Array[]): number {
  let h = FNV32_OFFSET;
  for (const part of parts) {
    for (const b of part) {
      h ^= b;
      h = Math.imul(h, FNV32_PRIME) >>> 0;
    }
  }
  return h >>> 0;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** FNV-1a 64-bit over the concatenation of the given byte strings (Go's `hash/fnv` New64a). */
export function fnv1a64(...parts: readonly Uint8Array[]): bigint {
  let h = FNV64_OFFSET;
  for (const part of parts) {
    for (const b of part) {
      h ^= BigInt(b);
      h = (h * FNV64_PRIME) & MASK64;
    }
  }
  return h;
}

/** A uint32 as 4 little-endian bytes (the probabilistic sampler's `i32tob`). */
export function le32(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, as Go's `[]byte(s)`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function hex(value: number | bigint, digits: number): string {
  return `0x${value.toString(16).padStart(digits, "0")}`;
}
