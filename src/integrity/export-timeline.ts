import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { ancestry } from "../model/ancestry.js";
import { showHiddenIn } from "../text/escape.js";
import type { Checkpoint } from "./checkpoint.js";
import { nanosRange, type RecordView } from "./record-view.js";

const handlebars = Handlebars.create();
const template = handlebars.compile(
  readFileSync(new URL("./templates/timeline.hbs", import.meta.url), "utf8"),
  { strict: true },
);

export interface TimelineEntry {
  readonly index: number;
  readonly view: RecordView;
}

const NS_PER_MS = 1_000_000n;

/**
 * The bundle's `start (+ms)` and duration columns: milliseconds to the microsecond, one unit down the
 * table so an auditor can subtract rows. Not the reports' `formatOffset` (`+1.234s`, whole ms): this
 * page is evidence, `verify-export` re-renders bundles of every version and compares bytes, so its
 * format changes only with a new bundle version — and versions 1 and 2 would keep rendering this way.
 */
function ms(ns: bigint): string {
  return (Number(ns) / 1e6).toFixed(3);
}

/**
 * Depth of each span under its parents within the run, for indentation: how many distinct spans of
 * the run its parent chain passes through (`ancestry`: linear however deep; on a cycle in hostile
 * data, every other span of the cycle).
 */
function depths(entries: readonly TimelineEntry[]): (span: string) => number {
  const parent = new Map(
    entries.flatMap((e) => (e.view.spanId ? [[e.view.spanId, e.view.parentSpanId]] : [])),
  );
  return ancestry(parent, (span) => (parent.has(span) ? 1 : 0)).above;
}

/**
 * One self-contained HTML page per run: every record in start order with its log index, offsets
 * and a bar on a shared scale. Deterministic — `verify-export` re-renders it and compares bytes.
 * Handlebars escapes every value; the page loads nothing from anywhere. From bundle version 2 on,
 * bidirectional controls and invisible characters show as `<U+202E>`, as in every report; a version 1
 * bundle (written before) is re-rendered as it was written, so it still verifies.
 */
export function renderTimeline(
  traceId: string,
  entries: readonly TimelineEntry[],
  cp: Checkpoint,
  bundleVersion: 1 | 2,
): string {
  const sorted = [...entries].sort((a, b) => {
    const d = (a.view.start ?? 0n) - (b.view.start ?? 0n);
    return d !== 0n ? (d < 0n ? -1 : 1) : a.index - b.index;
  });
  const t0 = nanosRange(sorted.map((e) => e.view.start ?? 0n)).min;
  const t1 = nanosRange(sorted.map((e) => e.view.end ?? e.view.start ?? 0n)).max;
  const span = t1 > t0 ? t1 - t0 : 1n;
  const depth = depths(sorted);
  const records = sorted.map((e) => {
    const start = e.view.start ?? t0;
    const end = e.view.end ?? start;
    return {
      index: e.index,
      offsetMs: ms(start - t0),
      durationMs: e.view.end !== undefined && e.view.start !== undefined ? `${ms(end - start)} ms` : "—",
      barLeft: ((Number(start - t0) / Number(span)) * 100).toFixed(2),
      barWidth: ((Number(end - start) / Number(span)) * 100).toFixed(2),
      kind: e.view.kind,
      name: e.view.name,
      spanId: e.view.spanId ?? "",
      status: e.view.status,
      indent: ((e.view.spanId ? depth(e.view.spanId) : 0) * 1.25).toFixed(2),
      json: JSON.stringify(e.view.value, null, 2),
    };
  });
  const view = {
    traceId,
    origin: cp.origin,
    seq: cp.seq,
    treeSize: cp.size,
    root: cp.root.toString("hex"),
    checkpointTime: cp.time.toISOString(),
    runStart: new Date(Number(t0 / NS_PER_MS)).toISOString(),
    records,
  };
  return template(bundleVersion === 1 ? view : showHiddenIn(view));
}
