import { InputError } from "../errors.js";
import type { SpanRecord } from "../model/record.js";
import type { Run } from "../model/run.js";
import { escapeTerminal } from "../text/escape.js";

/** The run's root: the first record whose parent is not in the run. */
export function rootRecord(records: readonly SpanRecord[]): SpanRecord | undefined {
  const ids = new Set(records.map((r) => r.spanId));
  return records.find((r) => !r.parentSpanId || !ids.has(r.parentSpanId)) ?? records[0];
}

function candidates(runs: readonly Run[]): string {
  return runs
    .map(
      (run) =>
        `  ${run.traceId}  ${escapeTerminal(rootRecord(run.records)?.name ?? "?")} (${run.records.length} span${run.records.length === 1 ? "" : "s"})`,
    )
    .join("\n");
}

/** The one run an incident is made of: the one asked for, or the only one in the file. */
export function pickRun(runs: readonly Run[], file: string, traceId: string | undefined): Run {
  if (traceId !== undefined) {
    const run = runs.find((r) => r.traceId === traceId);
    if (run) return run;
    throw new InputError(
      "no-trace",
      runs.length === 0
        ? `no span of trace ${traceId} in the file; it holds no spans`
        : `no span of trace ${traceId} in the file; it holds:\n${candidates(runs)}`,
      { file },
    );
  }
  if (runs.length === 1) return runs[0]!;
  if (runs.length === 0) throw new InputError("no-trace", "the file holds no spans", { file });
  throw new InputError(
    "many-traces",
    `the file holds ${runs.length} traces; choose one with --trace-id:\n${candidates(runs)}`,
    { file },
  );
}
