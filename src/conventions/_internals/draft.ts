import type { Action, FactName } from "../../model/action.js";
import type { Attributes, AttributeValue } from "../../model/attributes.js";
import type { SpanRecord } from "../../model/record.js";
import { extractToolCalls, mayHoldToolCalls } from "./tool-calls.js";
import { isPresent, own, parseJson, stringOf } from "./values.js";

/** The span ids a run holds (a set of them, or the run's records by span id). */
export interface SpanIds {
  has(spanId: string): boolean;
}

/** Fills an action's facts from its record; one per convention. */
export type FactMapper = (record: SpanRecord, action: Action) => void;

/**
 * Pseudo attribute keys for facts that come from the record's own fields rather than its
 * attributes; the pipeline loses these through correlation settings, not attribute processors.
 */
export const FIELD_SOURCES = {
  record: "spanId",
  traceId: "traceId",
  parent: "parentSpanId",
  status: "status",
  name: "name",
} as const;

export function setFact(action: Action, fact: FactName, key: string, value: unknown): void {
  if (!isPresent(value)) return;
  action.facts[fact] = value as AttributeValue;
  action.sources[fact] = key;
}

/** Sets `fact` from the first present key; returns the value found. */
export function factFrom(
  action: Action,
  fact: FactName,
  attributes: Attributes,
  keys: readonly string[],
): AttributeValue | undefined {
  // `firstOf` without its result object: a record sets several facts this way.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = own(attributes, key);
    if (isPresent(value)) {
      action.facts[fact] = value;
      action.sources[fact] = key;
      return value;
    }
  }
  return undefined;
}

/**
 * Records the tool calls a model asked for, read from an output payload held under `key`. Text is
 * parsed only when it may contain a tool call, so large plain answers cost one substring scan.
 * The fact is the normalised list as JSON; the raw text when it can't be parsed (a cut value).
 */
export function setRequestedToolCalls(action: Action, key: string, value: unknown): void {
  let parsed: unknown = value;
  if (typeof value === "string") {
    if (!mayHoldToolCalls(value)) {
      setFact(action, "toolCalls", key, "[]");
      action.requestedToolCalls = [];
      return;
    }
    parsed = parseJson(value);
    if (parsed === undefined) {
      setFact(action, "toolCalls", key, value);
      action.requestedToolCalls = [];
      return;
    }
  }
  const calls = extractToolCalls(parsed);
  action.requestedToolCalls = calls;
  setFact(action, "toolCalls", key, JSON.stringify(calls));
}

function eventError(record: SpanRecord): { type?: string; message?: string } | undefined {
  for (const event of record.events) {
    if (event.name !== "exception") continue;
    const type = stringOf(own(event.attributes, "exception.type"));
    const message = stringOf(own(event.attributes, "exception.message"));
    return { ...(type ? { type } : {}), ...(message ? { message } : {}) };
  }
  return undefined;
}

/** An Agents SDK span's `error: {message, data}`, however the reader laid it out. */
function agentsError(attributes: Attributes): string | undefined {
  const message = stringOf(own(attributes, "error.message"));
  if (message) return message;
  const error = own(attributes, "error");
  if (typeof error === "string" && error !== "") return error;
  if (error && typeof error === "object" && !Array.isArray(error)) {
    return stringOf(Object.hasOwn(error, "message") ? error.message : undefined) ?? "error";
  }
  return undefined;
}

/**
 * The action every record of a kind other than `other` becomes, with the facts that come from the
 * record's own fields: `record`, `traceId`, `parent` (omitted for an orphan), `status`, `error`.
 */
export function baseAction(record: SpanRecord, present: SpanIds): Action {
  const attributes = record.attributes;
  const errorTypeAttr = stringOf(own(attributes, "error.type"));
  const agentsMessage = record.convention === "openai-agents" ? agentsError(attributes) : undefined;
  const failed = record.status.code === "error" || errorTypeAttr !== undefined || agentsMessage !== undefined;
  const parentSpanId = record.parentSpanId;
  const parent = parentSpanId === undefined ? "root" : present.has(parentSpanId) ? parentSpanId : undefined;
  const status = failed ? "error" : record.status.code;
  // The usual facts in one literal (same keys, same order as set one by one): records are many.
  const usual = isPresent(parent) && isPresent(status);
  const action: Action = {
    id: record.spanId,
    kind: record.kind,
    name: record.name,
    traceId: record.traceId,
    spanId: record.spanId,
    convention: record.convention,
    hasRecord: true,
    failed,
    facts: usual
      ? { record: record.spanId, traceId: record.traceId, parent, status }
      : { record: record.spanId, traceId: record.traceId },
    requestedToolCalls: [],
    blocks: false,
    sources: usual
      ? {
          record: FIELD_SOURCES.record,
          traceId: FIELD_SOURCES.traceId,
          parent: FIELD_SOURCES.parent,
          status: FIELD_SOURCES.status,
        }
      : { record: FIELD_SOURCES.record, traceId: FIELD_SOURCES.traceId },
  };
  if (parentSpanId !== undefined) action.parentSpanId = parentSpanId;
  if (!usual) {
    setFact(action, "parent", FIELD_SOURCES.parent, parent);
    setFact(action, "status", FIELD_SOURCES.status, status);
  }
  if (failed) {
    if (errorTypeAttr !== undefined) setFact(action, "error", "error.type", errorTypeAttr);
    else {
      const fromEvent = eventError(record);
      const text =
        record.status.errorType ??
        fromEvent?.type ??
        record.status.message ??
        fromEvent?.message ??
        agentsMessage ??
        "error";
      setFact(
        action,
        "error",
        agentsMessage && !record.status.message ? "error" : FIELD_SOURCES.status,
        text,
      );
    }
  }
  return action;
}
