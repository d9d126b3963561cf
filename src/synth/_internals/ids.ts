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

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/**
 * The span id of the n-th span of a run: FNV-1a-64 of the trace id and n, so ids look random (as real
 * ones do; a run of `000…3` ids would be all digits and trip card-number patterns) yet stay the same
 * when a run shrinks around them.
 */
export function spanIdFor(traceId: string, n: number): string {
  let h = FNV64_OFFSET;
  for (const ch of `${traceId}/${n}`) h = ((h ^ BigInt(ch.charCodeAt(0))) * FNV64_PRIME) & MASK64;
  // The murmur3 finaliser, so ids of neighbouring spans share no visible prefix.
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK64;
  h ^= h >> 33n;
  if (h === 0n) h = 1n;
  return h.toString(16).padStart(16, "0");
}
