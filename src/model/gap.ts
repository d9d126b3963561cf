import { z } from "zod";
import { ActionKindSchema, FactNameSchema } from "./action.js";

/** Why a fact was lost: the cause ids of docs/architecture.md. */
export const CauseSchema = z.enum([
  "instrumentation",
  "export",
  "routing",
  "sampling",
  "filter",
  "redaction",
  "truncation",
  "correlation",
  "retention",
  "integrity",
]);
export type Cause = z.infer<typeof CauseSchema>;
export const CAUSES = CauseSchema.options;

export const SeveritySchema = z.enum(["low", "medium", "high", "critical"]);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * A fact present in truth but missing, wrong or unusable in the reconstruction. `stage` names where it
 * was lost: `instrumentation`, `export`, `routing`, `<stream>/<processor>[<index>]`, or `<stream>/store`.
 */
export const GapSchema = z.object({
  cause: CauseSchema,
  stage: z.string(),
  severity: SeveritySchema,
  fact: FactNameSchema,
  message: z.string(),
  hint: z.string(),
  action: z.object({
    kind: ActionKindSchema,
    name: z.string(),
    spanId: z.string().optional(),
  }),
  traceId: z.string(),
  stream: z.string().optional(),
});
export type Gap = z.infer<typeof GapSchema>;

/** The verdict for one run. */
export const RunVerdictSchema = z.object({
  traceId: z.string(),
  reconstructable: z.boolean(),
  gaps: z.array(GapSchema),
});
export type RunVerdict = z.infer<typeof RunVerdictSchema>;
