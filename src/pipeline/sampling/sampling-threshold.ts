/**
 * A port of the collector's `pkg/sampling` threshold arithmetic (threshold.go, probability.go,
 * randomness.go): 56-bit thresholds and randomness, as the probabilistic sampler's `proportional` and
 * `equalizing` modes use them. All 56-bit quantities are bigints.
 */

/** 2^56: thresholds count rejected randomness values out of this many. */
export const MAX_ADJUSTED_COUNT = 1n << 56n;
const NUM_HEX_DIGITS = 14;
const HEX_BITS = 4;
/** The smallest representable probability, 2^-56. */
export const MIN_SAMPLING_PROBABILITY = 2 ** -56;
/** Threshold 0: every randomness value passes. */
export const ALWAYS_SAMPLE_THRESHOLD = 0n;
/** Threshold 2^56: no randomness value passes. */
export const NEVER_SAMPLE_THRESHOLD = MAX_ADJUSTED_COUNT;

const scratch = new DataView(new ArrayBuffer(8));

/** The binary exponent of Go's `math.Frexp(x)`: x = f·2^exp with f in [0.5, 1); 0 for x = 0. */
export function frexpExponent(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  scratch.setFloat64(0, x);
  const biased = (scratch.getUint16(0) >>> 4) & 0x7ff;
  if (biased === 0) return frexpExponent(x * 2 ** 64) - 64; // subnormal
  return biased - 1022;
}

/**
 * `ProbabilityToThresholdWithPrecision(fraction, precision)`: the number of rejected randomness values,
 * rounded to `precision` significant hex digits (raised automatically near 0 and 1). Returns undefined
 * when the probability is outside [2^-56, 1] (the collector's ErrProbabilityRange).
 */
export function probabilityToThreshold(fraction: number, precision: number): bigint | undefined {
  let prec = precision === 0 ? NUM_HEX_DIGITS : precision;
  if (!(fraction >= MIN_SAMPLING_PROBABILITY && fraction <= 1)) return undefined;
  if (fraction === 1) return ALWAYS_SAMPLE_THRESHOLD;
  // Go's integer division truncates toward zero; both exponents are <= 0.
  const expF = frexpExponent(fraction);
  const expR = frexpExponent(1 - fraction);
  prec = Math.min(
    NUM_HEX_DIGITS,
    Math.max(prec + Math.trunc(expF / -HEX_BITS), prec + Math.trunc(expR / -HEX_BITS)),
  );
  // fraction·2^56 is exact in float64; Math.round equals Go's math.Round for positive values.
  const scaled = BigInt(Math.round(fraction * 2 ** 56));
  let threshold = MAX_ADJUSTED_COUNT - scaled;
  const shift = BigInt(HEX_BITS * (NUM_HEX_DIGITS - prec));
  if (shift !== 0n) {
    threshold += 1n << (shift - 1n);
    threshold >>= shift;
    threshold <<= shift;
  }
  return threshold;
}

/** `TraceIDToRandomness`: the least-significant 56 bits of the trace id (bytes 9–15, big-endian). */
export function traceIdRandomness(bytes: Uint8Array): bigint {
  let r = 0n;
  for (let i = 9; i < 16; i++) r = (r << 8n) | BigInt(bytes[i]!);
  return r;
}

/** `Threshold.ShouldSample`: T <= R. */
export function shouldSample(threshold: bigint, randomness: bigint): boolean {
  return threshold <= randomness;
}

/** The probability a threshold keeps: (2^56 − T) / 2^56. */
export function thresholdProbability(threshold: bigint): number {
  return Number(MAX_ADJUSTED_COUNT - threshold) / 2 ** 56;
}

/** The t-value encoding of a threshold (14 hex digits, trailing zeros removed; "0" for always). */
export function thresholdTValue(threshold: bigint): string {
  if (threshold === ALWAYS_SAMPLE_THRESHOLD) return "0";
  if (threshold >= NEVER_SAMPLE_THRESHOLD) return "";
  return threshold.toString(16).padStart(NUM_HEX_DIGITS, "0").replace(/0+$/, "");
}
