import { fnv1a64, traceIdBytes, utf8 } from "./hash.js";

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * `calculateThreshold(ratio)`: big.Float(MaxUint64) × big.NewFloat(ratio), rounded to 64 bits of
 * mantissa (nearest even), then truncated to a uint64 — computed exactly with bigints.
 */
export function tailProbabilisticThreshold(ratio: number): bigint {
  if (!(ratio > 0)) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, ratio);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // ratio = mant · 2^exp; product = MaxUint64 · mant · 2^exp.
  let n = MAX_UINT64 * mant;
  let shift = n.toString(2).length - 64;
  if (shift > 0) {
    const rem = n & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    n >>= BigInt(shift);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  } else shift = 0;
  const e = shift + exp;
  const value = e >= 0 ? n << BigInt(e) : n >> BigInt(-e);
  return value > MAX_UINT64 ? MAX_UINT64 : value;
}

/** `hashTraceID(salt, traceID)`: FNV-1a 64 over the salt's bytes then the 16 trace-id bytes. */
export function tailTraceHash(salt: string, traceId: string): bigint {
  return fnv1a64(utf8(salt), traceIdBytes(traceId));
}
