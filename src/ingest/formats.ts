/** The trace file formats trailcheck reads. */
export const TRACE_FORMATS = [
  "otlp-json",
  "collector-jsonl",
  "openai-agents",
  "trailcheck-jsonl",
  "otlp-proto",
  "collector-proto",
] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export function isTraceFormat(value: string): value is TraceFormat {
  return (TRACE_FORMATS as readonly string[]).includes(value);
}
