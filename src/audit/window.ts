import { InputError } from "../errors.js";
import { parseDuration } from "../model/duration.js";
import { NS_PER_MS } from "../model/time.js";

/** The audit's clock and periods, in unix nanoseconds. Runs are counted in `[from, to)`. */
export interface AuditWindow {
  readonly now: bigint;
  readonly from: bigint;
  readonly to: bigint;
  /** The baseline is `[baselineFrom, from)`: the period of the baseline's length before `from`. */
  readonly baselineFrom: bigint;
  /** Runs with no root yet whose latest span is younger than this are pending. */
  readonly graceNs: bigint;
}

export interface WindowInput {
  /** ISO 8601; default: the clock. */
  readonly now?: string;
  /** ISO 8601, or relative to now (`-1h`); default: an hour before `to`. */
  readonly from?: string;
  /** ISO 8601, or relative to now; default: now. */
  readonly to?: string;
  /** A duration; default 7d. */
  readonly baseline?: string;
  /** A duration; default 15m. */
  readonly grace?: string;
}

const ISO = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d))?$/;
const RELATIVE = /^([+-])(\d+(?:ms|s|m|h|d|w|mo|y))$/;

function isoNanos(text: string, option: string): bigint {
  const ms = Date.parse(text);
  if (!ISO.test(text) || Number.isNaN(ms)) {
    throw new InputError(
      "bad-time",
      `${option} must be an ISO 8601 time (2026-01-15T09:30:00Z) or relative to --now (-1h), not '${text}'`,
    );
  }
  // Date keeps milliseconds; the fraction beyond them is added back so nanosecond bounds stay exact.
  const fraction = /\.(\d{4,9})/.exec(text)?.[1];
  const extra = fraction ? BigInt(fraction.padEnd(9, "0").slice(3)) : 0n;
  return BigInt(ms) * NS_PER_MS + extra;
}

/** A TIME option: ISO 8601, or a signed duration relative to `now` (`-1h`, `-30m`). */
export function parseTime(text: string, now: bigint, option: string): bigint {
  const rel = RELATIVE.exec(text.trim());
  if (rel) {
    const ns = parseDuration(rel[2]!)!;
    return rel[1] === "-" ? now - ns : now + ns;
  }
  return isoNanos(text.trim(), option);
}

function duration(text: string, option: string): bigint {
  const ns = parseDuration(text);
  if (ns === undefined) {
    throw new InputError("bad-option", `${option} must be a duration such as 15m, 1h or 7d, not '${text}'`);
  }
  return ns;
}

/**
 * Resolves the window from the options: `[from, to)`, by default the hour before now; the baseline is
 * the period of its length before `from`. `clock` is the current time when `now` is not given.
 */
export function resolveWindow(input: WindowInput, clock: () => Date = () => new Date()): AuditWindow {
  const now =
    input.now !== undefined ? isoNanos(input.now.trim(), "--now") : BigInt(clock().getTime()) * NS_PER_MS;
  const to = input.to !== undefined ? parseTime(input.to, now, "--to") : now;
  const from = input.from !== undefined ? parseTime(input.from, now, "--from") : to - duration("1h", "");
  if (from >= to) {
    throw new InputError("bad-time", `--from must be before --to (the window is [from, to))`);
  }
  const baseline = duration(input.baseline ?? "7d", "--baseline");
  const graceNs = duration(input.grace ?? "15m", "--grace");
  return { now, from, to, baselineFrom: from - baseline, graceNs };
}

/** Unix nanoseconds as ISO 8601 (millisecond precision), for output. */
export function isoTime(ns: bigint): string {
  return new Date(Number(ns / NS_PER_MS)).toISOString();
}
