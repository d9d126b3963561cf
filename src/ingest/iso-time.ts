const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,30}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * An ISO 8601 timestamp as exact unix nanoseconds (a decimal string). The fraction is read digit by
 * digit, never through a float, so `2025-01-01T00:00:00.123456Z` is exactly `…123456000`; digits
 * past nanoseconds are dropped. No offset means UTC. `undefined` when the text is not such a time
 * or lies before 1970.
 */
export function isoToUnixNanos(text: string): string | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, 0);
  let seconds = BigInt(date.getTime() / 1000);
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 60 + Number(m[11])) * 60;
    seconds += BigInt(m[9] === "+" ? -offset : offset);
  }
  const fraction = (m[7] ?? "").slice(0, 9).padEnd(9, "0");
  const nanos = seconds * 1_000_000_000n + BigInt(fraction);
  return nanos < 0n ? undefined : nanos.toString();
}
