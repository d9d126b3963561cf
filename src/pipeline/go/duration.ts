const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go's `time.ParseDuration` ("10s", "1m30s", "500ms", "1.5h"), as collector settings such as
 * `decision_wait` are written. Returns nanoseconds, or undefined when the text is not a Go duration.
 */
export function parseGoDuration(text: string): bigint | undefined {
  const t = text.trim();
  if (t === "0") return 0n;
  const m = /^([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(t);
  if (!m) return undefined;
  let total = 0n;
  for (const part of m[2]!.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [whole, frac = ""] = part[1]!.split(".");
    const unit = BigInt(UNIT_NS[part[2]!]!);
    total += BigInt(whole || "0") * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
  }
  return m[1] === "-" ? -total : total;
}
