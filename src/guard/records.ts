import { z } from "zod";

/**
 * What the ledger holds, one JSON object per line. Every record carries the ids of the OpenTelemetry
 * span that was active when it was written (absent when none was), so the ledger and the trace store
 * can be joined; `at` is the writer's clock (ISO 8601, ms).
 */
const TraceIds = {
  /** The active span's trace id (32 hex). */
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  /** The active span's id (16 hex): for a tool call run by an instrumented framework, its tool span. */
  spanId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
};
const At = z.iso.datetime({ offset: false });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Written and made durable before the tool runs. */
export const ToolCallStartSchema = z.strictObject({
  type: z.literal("tool-call.start"),
  ...TraceIds,
  toolName: z.string(),
  callId: z.string(),
  /** The call's arguments as the tool received them, unless redacted… */
  arguments: z.unknown().optional(),
  /** …then the SHA-256 (hex) of their canonical JSON (keys sorted), which proves them when the original is known. */
  argumentsSha256: Sha256.optional(),
  at: At,
});

/** Written after the tool returned or threw. */
export const ToolCallEndSchema = z.strictObject({
  type: z.literal("tool-call.end"),
  ...TraceIds,
  toolName: z.string(),
  callId: z.string(),
  outcome: z.enum(["ok", "error"]),
  /** SHA-256 (hex) of the result's canonical JSON, for `ok`. */
  resultSha256: Sha256.optional(),
  /** The error's message, for `error`… */
  error: z.string().optional(),
  /**
   * …or its SHA-256 (hex), when the call's arguments were redacted: an error message often repeats
   * them ("card 4111… declined").
   */
  errorSha256: Sha256.optional(),
  at: At,
});

/** A policy or guardrail decision, in the terms of trailcheck's native `policy.*` convention. */
export const PolicyRecordSchema = z.strictObject({
  type: z.literal("policy"),
  ...TraceIds,
  name: z.string(),
  decision: z.enum(["allow", "deny", "flag"]),
  reason: z.string().optional(),
  /** The governed tool call, where the decision is about one. */
  toolName: z.string().optional(),
  callId: z.string().optional(),
  at: At,
});

/** The run failed (an uncaught error ended it). */
export const RunFailedSchema = z.strictObject({
  type: z.literal("run.failed"),
  ...TraceIds,
  error: z.string(),
  at: At,
});

/**
 * Written on reopen after a crash left damage at the ledger's end: the trail says so itself. `torn`
 * describes the cut bytes of an incomplete last record; `lost` counts records the leaf index listed
 * but the segment no longer held (written, not yet synced, when the power went).
 */
export const LedgerRecoveredSchema = z.strictObject({
  type: z.literal("ledger.recovered"),
  at: At,
  /** The segment file concerned, relative to the ledger directory. */
  file: z.string(),
  torn: z
    .strictObject({
      /** Where the cut began (the file's length afterwards). */
      offset: z.number().int().nonnegative(),
      bytes: z.number().int().positive(),
      /** SHA-256 (hex) of the bytes that were cut. */
      sha256: Sha256,
    })
    .optional(),
  lost: z.number().int().positive().optional(),
});

export const LedgerRecordSchema = z.discriminatedUnion("type", [
  ToolCallStartSchema,
  ToolCallEndSchema,
  PolicyRecordSchema,
  RunFailedSchema,
  LedgerRecoveredSchema,
]);
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;
export type ToolCallStart = z.infer<typeof ToolCallStartSchema>;
export type ToolCallEnd = z.infer<typeof ToolCallEndSchema>;
export type PolicyRecord = z.infer<typeof PolicyRecordSchema>;
export type RunFailed = z.infer<typeof RunFailedSchema>;
export type LedgerRecovered = z.infer<typeof LedgerRecoveredSchema>;

/** Parses one stored line; undefined when it is not a ledger record. */
export function parseLedgerLine(line: string): LedgerRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = LedgerRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
