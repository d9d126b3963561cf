import { z } from "zod";

/** Unix nanoseconds as a decimal string: exact, JSON-safe, never a lossy float. */
export const UnixNanoSchema = z.string().regex(/^\d{1,20}$/, "unix nanoseconds as a decimal string");
export type UnixNano = z.infer<typeof UnixNanoSchema>;

export const NS_PER_MS = 1_000_000n;
export const NS_PER_SECOND = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_SECOND;

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
