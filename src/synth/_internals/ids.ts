import fc from "fast-check";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

/**
 * Trace ids over the whole id space (the samplers hash them, so a narrow range would test one
 * bucket), never the all-zero id OTLP treats as invalid. Shrinks towards `000…01`.
 */
export function traceIdArb(): fc.Arbitrary<string> {
  return fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .filter((bytes) => bytes.some((b) => b !== 0))
    .map(toHex);
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a-32 of a string from a given offset basis. */
function fnv32(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The span id of the n-th span of a run: two finalised FNV-1a lanes over the trace id and n, so ids
 * look random (as real ones do; a run of `000…3` ids would be all digits and trip card-number patterns)
 * yet stay the same when a run shrinks around them.
 */
export function spanIdFor(traceId: string, n: number): string {
  const key = `${traceId}/${n}`;
  const hi = fmix32(fnv32(key, 0x811c9dc5));
  const lo = fmix32(fnv32(key, 0x050c5d1f) ^ n);
  const id = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
  return id === "0000000000000000" ? "0000000000000001" : id;
}
