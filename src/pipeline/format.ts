/** Nanoseconds as a short human duration for messages: `1m30s`, `250ms`, `12ns`. */
export function formatNs(ns: bigint): string {
  const neg = ns < 0n;
  let rest = neg ? -ns : ns;
  if (rest === 0n) return "0s";
  const parts: string[] = [];
  const units: [string, bigint][] = [
    ["d", 86_400_000_000_000n],
    ["h", 3_600_000_000_000n],
    ["m", 60_000_000_000n],
    ["s", 1_000_000_000n],
    ["ms", 1_000_000n],
    ["µs", 1_000n],
    ["ns", 1n],
  ];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${rest / size}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return (neg ? "-" : "") + parts.join("");
}
