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

/** Formats nanoseconds back into the largest whole unit, for messages. */
export function formatDuration(ns: bigint): string {
  for (const unit of ["y", "mo", "w", "d", "h", "m", "s", "ms"]) {
    const size = UNITS[unit]!;
    if (ns >= size && ns % size === 0n) return `${ns / size}${unit}`;
  }
  return `${ns}ns`;
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
