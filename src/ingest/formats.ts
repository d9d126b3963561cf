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

/** OTLP/JSON documents up to this size are parsed whole; larger ones are streamed span by span. */
export const WHOLE_DOCUMENT_LIMIT = 64 * 1024 * 1024;
