/**
 * What an export needs to know about a record. Sealing treats records as opaque lines; exports
 * read a few canonical fields back, tolerating records that lack them.
 */
export interface RecordView {
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  /** Unix nanoseconds. */
  readonly start: bigint | undefined;
  readonly end: bigint | undefined;
  /** The whole record, for display. */
  readonly value: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function nanos(value: unknown): bigint | undefined {
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}

export function viewRecord(line: string): RecordView {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = line;
  }
  const r = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const status =
    typeof r.status === "object" && r.status !== null ? (r.status as Record<string, unknown>).code : r.status;
  return {
    traceId: text(r.traceId),
    spanId: text(r.spanId),
    parentSpanId: text(r.parentSpanId),
    name: text(r.name) ?? "(unnamed)",
    kind: text(r.kind) ?? "other",
    status: text(status) ?? "unset",
    start: nanos(r.start),
    end: nanos(r.end),
    value,
  };
}

/** Smallest and largest of some nanosecond times (Math.min/max do not take bigints). */
export function nanosRange(values: readonly bigint[]): { min: bigint; max: bigint } {
  let min = values[0] ?? 0n;
  let max = min;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
