import { z } from "zod";
import { InputError } from "../errors.js";
import { isoToUnixNanos } from "../ingest/iso-time.js";
import { nanosRange, type RecordView } from "./record-view.js";

/**
 * Which records an export holds. A trace id is checked against every record; a time range is stored
 * as the tight range of the exported records, so nothing in a bundle is an unverifiable claim.
 */
export const SelectionSchema = z.union([
  z.strictObject({ traceId: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.strictObject({ since: z.string().regex(/^\d{1,20}$/), until: z.string().regex(/^\d{1,20}$/) }),
]);
export type Selection = z.infer<typeof SelectionSchema>;

/** `--since`/`--until`: ISO 8601 with a zone, or unix nanoseconds. */
export function parseTimeOption(value: string, option: string): bigint {
  if (/^\d{1,20}$/.test(value)) return BigInt(value);
  const ns = isoToUnixNanos(value);
  if (ns === undefined) {
    throw new InputError(
      "bad-option",
      `${option} must be an ISO 8601 time such as 2025-01-31T00:00:00Z or unix nanoseconds, not '${value}'`,
    );
  }
  return BigInt(ns);
}

export function parseTraceIdOption(value: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new InputError("bad-option", `--trace-id must be 32 hex digits, not '${value}'`);
  }
  return value.toLowerCase();
}

/** The request as typed on the command line. */
export type SelectionRequest =
  | { readonly traceId: string }
  | { readonly since: bigint; readonly until: bigint };

export function matchesRequest(view: RecordView, request: SelectionRequest): boolean {
  if ("traceId" in request) return view.traceId === request.traceId;
  return view.start !== undefined && view.start >= request.since && view.start <= request.until;
}

/** The selection a bundle records: derived from the records it holds. */
export function selectionOf(views: readonly RecordView[], request: SelectionRequest | Selection): Selection {
  if ("traceId" in request) return { traceId: request.traceId };
  const { min, max } = nanosRange(views.map((v) => v.start ?? 0n));
  return { since: min.toString(), until: max.toString() };
}

export function matchesSelection(view: RecordView, selection: Selection): boolean {
  if ("traceId" in selection) return view.traceId === selection.traceId;
  return matchesRequest(view, { since: BigInt(selection.since), until: BigInt(selection.until) });
}
