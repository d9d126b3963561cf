import type { AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { classifyRecord } from "./classify.js";

/** Builders for hand-made runs in tests: `span(...)` makes a classified SpanRecord. */
export const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

let counter = 0;

/** A 16-hex span id from a small number, so fixtures read `sid(1)`, `sid(2)`… */
export function sid(n: number): string {
  return n.toString(16).padStart(16, "0");
}

export interface SpanOptions {
  id: number;
  parent?: number;
  name?: string;
  /** Start offset in milliseconds from the run's start; defaults to the id. */
  at?: number;
  attributes?: Record<string, AttributeValue>;
  status?: SpanRecord["status"];
  events?: SpanRecord["events"];
  traceId?: string;
}

const EPOCH = 1_700_000_000_000_000_000n;

export function span(options: SpanOptions): SpanRecord {
  counter++;
  const attributes = options.attributes ?? {};
  const { kind, convention } = classifyRecord(attributes);
  const start = EPOCH + BigInt(options.at ?? options.id) * 1_000_000n;
  const record: SpanRecord = {
    traceId: options.traceId ?? TRACE_ID,
    spanId: sid(options.id),
    name: options.name ?? `span ${counter}`,
    kind,
    convention,
    spanKind: 1,
    start: start.toString(),
    end: (start + 500_000n).toString(),
    status: options.status ?? { code: "unset" },
    attributes,
    events: options.events ?? [],
    resource: {},
  };
  if (options.parent !== undefined) record.parentSpanId = sid(options.parent);
  return record;
}

/** A copy of the record without one attribute (a fact dropped by a processor). */
export function without(record: SpanRecord, key: string): SpanRecord {
  const attributes = { ...record.attributes };
  delete attributes[key];
  return { ...record, attributes };
}
