import type { SpanRecord } from "../model/record.js";

/**
 * Compares unix-nanosecond decimal strings exactly without allocating bigints: a shorter string (no
 * leading zeros) is a smaller number; equal lengths compare as text.
 */
export function compareNanos(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Records in arrival order: by end time, ties kept in input order (the sort is stable). */
export function byEndTime(records: readonly SpanRecord[]): SpanRecord[] {
  let sorted = true;
  for (let i = 1; i < records.length; i++) {
    if (compareNanos(records[i - 1]!.end, records[i]!.end) > 0) {
      sorted = false;
      break;
    }
  }
  return sorted ? records.slice() : records.slice().sort((x, y) => compareNanos(x.end, y.end));
}

export function maxNanos(a: string, b: string): string {
  return compareNanos(a, b) >= 0 ? a : b;
}

export function minNanos(a: string, b: string): string {
  return compareNanos(a, b) <= 0 ? a : b;
}
