import { z } from "zod";

/** `audit:` in trailcheck.config.yaml: the same settings as the flags; paths relative to the file. */
export const AuditConfigSchema = z.strictObject({
  /** Store specs, as `--store` takes them. */
  stores: z.array(z.string().min(1)).min(1).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  baseline: z.string().optional(),
  grace: z.string().optional(),
  minRuns: z.number().int().min(1).optional(),
  alpha: z.number().gt(0).lt(1).optional(),
  profile: z.string().min(1).optional(),
  /** Alert episodes are kept in this file between audits. */
  state: z.string().min(1).optional(),
  /** `--output DIR`: audit.json, audit.prom and audit.html. */
  output: z.string().min(1).optional(),
  format: z.enum(["text", "json", "openmetrics"]).optional(),
  allRuns: z.boolean().optional(),
  /** Store each audited run's verdict in `trailcheck_run_audit` beside the spans (ClickHouse stores). */
  writeResults: z.boolean().optional(),
  /** The pipeline the stores were written by, to attribute each loss to a stage. */
  logging: z.string().min(1).optional(),
  otelcol: z.array(z.string().min(1)).optional(),
  storage: z.string().min(1).optional(),
});
export type AuditConfig = z.infer<typeof AuditConfigSchema>;
