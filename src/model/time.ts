import { z } from "zod";

/** Unix nanoseconds as a decimal string: exact, JSON-safe, never a lossy float. */
export const UnixNanoSchema = z.string().regex(/^\d{1,20}$/, "unix nanoseconds as a decimal string");
export type UnixNano = z.infer<typeof UnixNanoSchema>;

export const NS_PER_MS = 1_000_000n;
export const NS_PER_SECOND = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_SECOND;

/**
 * The numeric order of two times in decimal nanoseconds, without a number or a padded copy per
 * comparison: readers write them without leading zeros, so the shorter is the earlier and text order
 * decides between equal lengths (a leading zero takes the padded way).
 */
export function compareNanos(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length === y.length) return x < y ? -1 : 1;
  if (x.charCodeAt(0) !== 48 && y.charCodeAt(0) !== 48) return x.length - y.length;
  const a = x.padStart(24, "0");
  const b = y.padStart(24, "0");
  return a === b ? 0 : a < b ? -1 : 1;
}

export function toNanos(value: UnixNano): bigint {
  return BigInt(value);
}

/** Milliseconds since the epoch (for display); the nanosecond string stays the exact value. */
export function nanosToDate(value: UnixNano): Date {
  return new Date(Number(BigInt(value) / NS_PER_MS));
}

export function dateToNanos(date: Date): UnixNano {
  return (BigInt(date.getTime()) * NS_PER_MS).toString();
}

/** When a run began: the earliest start of its records (0 for none), the zero of a timeline's offsets. */
export function runStart(records: readonly { readonly start: UnixNano }[]): bigint {
  let min: bigint | undefined;
  for (const r of records) {
    const start = BigInt(r.start);
    if (min === undefined || start < min) min = start;
  }
  return min ?? 0n;
}

/**
 * Nanoseconds as seconds with whole milliseconds, `1.234s`. Truncated, not rounded: a span that began
 * 1.9996 ms into a run has not reached 2 ms, and the same instant reads the same in every timeline.
 */
export function formatSeconds(ns: bigint): string {
  const ms = (ns < 0n ? -ns : ns) / NS_PER_MS;
  const sign = ns < 0n && ms > 0n ? "-" : "";
  return `${sign}${ms / 1000n}.${String(ms % 1000n).padStart(3, "0")}s`;
}

/**
 * An offset from the run's start (`runStart`) as every human-facing timeline shows it: `+1.234s`.
 * (The auditor bundle's timeline keeps its own fixed `start (+ms)` column: `verify-export` re-renders
 * existing bundles and compares bytes — see integrity/export-timeline.ts.)
 */
export function formatOffset(ns: bigint): string {
  const text = formatSeconds(ns);
  return text.startsWith("-") ? text : `+${text}`;
}
