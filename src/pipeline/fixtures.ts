import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";

/** Test helpers: small records and configs with the model's defaults. */
let counter = 0;

/** 2025-01-01T00:00:00Z in unix nanoseconds. */
export const T0 = 1_735_689_600_000_000_000n;
export const SECOND = 1_000_000_000n;

export function span(over: Partial<SpanRecord> & { startS?: number; endS?: number } = {}): SpanRecord {
  counter++;
  const { startS, endS, ...rest } = over;
  const start = startS !== undefined ? T0 + BigInt(Math.round(startS * 1000)) * 1_000_000n : T0;
  const end = endS !== undefined ? T0 + BigInt(Math.round(endS * 1000)) * 1_000_000n : start + SECOND;
  return {
    traceId: "0102030405060708090a0b0c0d0e0f10",
    spanId: counter.toString(16).padStart(16, "0"),
    name: `span-${counter}`,
    kind: "other",
    convention: "unknown",
    spanKind: 0,
    start: start.toString(),
    end: end.toString(),
    status: { code: "unset" },
    attributes: {},
    events: [],
    resource: {},
    ...rest,
  };
}

export function config(input: unknown): LoggingConfig {
  return LoggingConfigSchema.parse(input);
}

/** One stream that takes everything, with the given processors. */
export function oneStream(processors: unknown[], extra: Record<string, unknown> = {}): LoggingConfig {
  return config({ streams: [{ name: "s", processors, ...extra }] });
}
