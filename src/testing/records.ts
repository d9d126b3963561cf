import { classifyRecord } from "../conventions/classify.js";
import type { AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { NS_PER_MS, NS_PER_SECOND, runStart } from "../model/time.js";

/**
 * The one builder of records for tests. `span({ id: 2, parent: 1, attributes })` is a record of run
 * `TRACE_ID`, classified from its attributes as ingest would; any field of a record may be given as
 * is (`traceId`, `kind`, `start`, `resource`…) and wins. A test states only what it is about.
 */

/** The run a built record belongs to, unless a test names another. */
export const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
/** When built runs start: 2025-01-01T00:00:00Z in unix nanoseconds. */
export const T0 = 1_735_689_600_000_000_000n;
export const SECOND = NS_PER_SECOND;

/** A 16-hex span id from a small number, so tests read `sid(1)`, `sid(2)`… */
export function sid(n: number): string {
  return n.toString(16).padStart(16, "0");
}

export interface SpanOptions extends Partial<Omit<SpanRecord, "attributes">> {
  /** The span id as a small number, `sid(id)`; without it (and without `spanId`) a fresh id. */
  id?: number;
  /** The parent's span id as a small number. */
  parent?: number;
  /** Start in seconds after `T0` (to the millisecond). Default: `id` milliseconds after `T0`. */
  startS?: number;
  /** End in seconds after `T0`. Default: half a millisecond after the start. */
  endS?: number;
  attributes?: Record<string, AttributeValue>;
}

let counter = 0;

const afterT0 = (seconds: number) => T0 + BigInt(Math.round(seconds * 1000)) * NS_PER_MS;

export function span(options: SpanOptions = {}): SpanRecord {
  counter++;
  const { id, parent, startS, endS, ...given } = options;
  const attributes = given.attributes ?? {};
  const start = startS !== undefined ? afterT0(startS) : T0 + BigInt(id ?? 0) * NS_PER_MS;
  const end = endS !== undefined ? afterT0(endS) : start + NS_PER_MS / 2n;
  return {
    traceId: TRACE_ID,
    // Fresh ids count from 2^40, far above the small numbers tests give.
    spanId: sid(id ?? 2 ** 40 + counter),
    ...(parent !== undefined ? { parentSpanId: sid(parent) } : {}),
    name: `span ${counter}`,
    ...classifyRecord(attributes),
    spanKind: 1,
    start: start.toString(),
    end: end.toString(),
    status: { code: "unset" },
    events: [],
    resource: {},
    ...given,
    attributes,
  };
}

/** A copy of the record without one attribute (a fact dropped by a processor). */
export function without(record: SpanRecord, key: string): SpanRecord {
  const attributes = { ...record.attributes };
  delete attributes[key];
  return { ...record, attributes };
}

/** A run moved in time, so that its earliest record starts at `start` (unix nanoseconds). */
export function startingAt(records: readonly SpanRecord[], start: bigint): SpanRecord[] {
  const delta = start - runStart(records);
  return records.map((r) => ({
    ...r,
    start: (BigInt(r.start) + delta).toString(),
    end: (BigInt(r.end) + delta).toString(),
  }));
}
