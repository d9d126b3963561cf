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

/**
 * FNV-1a 64-bit over the concatenation of the given byte strings (Go's `hash/fnv` New64a), computed on
 * two 32-bit halves: h × (2^40 + 0x1b3) mod 2^64 = h × 0x1b3 + (h << 40).
 */
export function fnv1a64(...parts: readonly Uint8Array[]): bigint {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const part of parts) {
    for (const b of part) {
      lo = (lo ^ b) >>> 0;
      const loMul = lo * 0x1b3; // < 2^41, exact in a double
      const carry = Math.floor(loMul / 0x100000000);
      hi = (Math.imul(hi, 0x1b3) + (lo << 8) + carry) >>> 0;
      lo = loMul >>> 0;
    }
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
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
