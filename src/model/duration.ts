import { z } from "zod";
import { NS_PER_DAY, NS_PER_SECOND } from "./time.js";

const UNITS: Record<string, bigint> = {
  ms: 1_000_000n,
  s: NS_PER_SECOND,
  m: 60n * NS_PER_SECOND,
  h: 3_600n * NS_PER_SECOND,
  d: NS_PER_DAY,
  w: 7n * NS_PER_DAY,
  // Calendar months and years, as retention rules are stated: 30 and 365 days would make
  // "6 months" of retention fail a 6-month rule on 182-day boundaries, so use the longest month.
  mo: 31n * NS_PER_DAY,
  y: 366n * NS_PER_DAY,
};

const DURATION = /^(\d+)(ms|s|m|h|d|w|mo|y)$/;

/**
 * Parses `30d`, `6mo`, `1y`, `400d`, `12h`, `30s`, `500ms` into nanoseconds.
 * Months count as 31 days and years as 366 days, so a retention setting written as `6mo` is never
 * judged shorter than the six calendar months it names. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): bigint | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return BigInt(m[1]!) * UNITS[m[2]!]!;
}

/**
 * A configured duration back in the form a config states it: the largest whole unit, `6mo`, `15m`,
 * `400d` — exact, so `parseDuration(formatDuration(ns)) === ns` and a message names the setting as the
 * user can write it. For a measured time (an age, a wait), whose value is arbitrary, use `formatElapsed`.
 */
export function formatDuration(ns: bigint): string {
  for (const unit of ["y", "mo", "w", "d", "h", "m", "s", "ms"]) {
    const size = UNITS[unit]!;
    if (ns >= size && ns % size === 0n) return `${ns / size}${unit}`;
  }
  return `${ns}ns`;
}

const ELAPSED_UNITS: [string, bigint][] = [
  ["d", NS_PER_DAY],
  ["h", 3_600n * NS_PER_SECOND],
  ["m", 60n * NS_PER_SECOND],
  ["s", NS_PER_SECOND],
  ["ms", 1_000_000n],
  ["µs", 1_000n],
  ["ns", 1n],
];

/**
 * A measured time for messages: its two leading units, `1m30s`, `3d4h`, `250ms`, `12ns` (the rest
 * dropped). `formatDuration` would print an age of 1m30.5s as `90500ms`; this is not exact, so
 * trailcheck's own settings (retention, grace, rate step) are echoed with `formatDuration`.
 */
export function formatElapsed(ns: bigint): string {
  let rest = ns < 0n ? -ns : ns;
  if (rest === 0n) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of ELAPSED_UNITS) {
    if (rest >= size) {
      parts.push(`${rest / size}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return (ns < 0n ? "-" : "") + parts.join("");
}

/** A duration field in YAML: `30d`, or `forever`/`infinite` for no limit. */
export const DurationSchema = z
  .string()
  .refine((s) => parseDuration(s) !== undefined || s === "forever" || s === "infinite", {
    message: "expected a duration such as 30d, 6mo, 1y, 12h or 30s (or 'forever')",
  });

/** Nanoseconds, or undefined for `forever`. */
export function durationNanos(text: string): bigint | undefined {
  if (text === "forever" || text === "infinite") return undefined;
  return parseDuration(text);
}
