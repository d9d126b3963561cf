import { z } from "zod";
import { CauseSchema } from "../model/gap.js";
import { documentedJsonSchema, jsonSchemaText } from "../model/json-schema.js";

/**
 * Why a run can't be rebuilt from the store. A closed list, so dashboards and scripts can rely on it;
 * evidence sources beyond the trace store (a write-ahead ledger) add their codes here.
 */
export const ReasonCodeSchema = z.enum([
  "no-root",
  "orphan",
  "unaccounted-tool-call",
  "missing-fact",
  "masked-fact",
  "retention-edge",
  "integrity",
  /** A tool call the write-ahead ledger holds is not among the run's stored tool spans. */
  "action-not-in-trace",
  /** The ledger holds tool calls of a run the store has no span of at all. */
  "not-in-store",
]);
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

/** A cause id (docs/architecture.md) where the stored evidence shows it, else `unknown`. */
export const ReasonCauseSchema = z.union([CauseSchema, z.literal("unknown")]);
export type ReasonCause = z.infer<typeof ReasonCauseSchema>;

export const ReasonSchema = z.object({
  code: ReasonCodeSchema,
  cause: ReasonCauseSchema,
  /** The fact it is about, `kind:name.fact` (as incidents name facts). */
  fact: z.string().optional(),
  /** The stored span the reason is about (an orphan, the model call that asked for a tool…). */
  spanId: z.string().optional(),
  /** With a logging config: the pipeline stage that would have lost it (`<stream>/<processor>[i]`). */
  stage: z.string().optional(),
  message: z.string(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const VerdictSchema = z.enum(["reconstructable", "incomplete", "pending"]);
export type Verdict = z.infer<typeof VerdictSchema>;

export const AuditRunSchema = z.object({
  traceId: z.string(),
  /** `service.name` of the run's root (or earliest span); empty when not recorded. */
  service: z.string(),
  /** The agent named by the run's root; empty when no span names one. */
  agent: z.string(),
  /** When the run's root started (a rootless run: its earliest span), ISO 8601. */
  start: z.string(),
  verdict: VerdictSchema,
  reasons: z.array(ReasonSchema),
  /**
   * The command that turns this run into an incident; absent for a run the store holds no span of
   * (`not-in-store`: only the ledger knows it), which `incident add --store` cannot take.
   */
  incident: z.string().optional(),
});
export type AuditRun = z.infer<typeof AuditRunSchema>;

const CountsSchema = z.object({
  reconstructable: z.number().int().nonnegative(),
  incomplete: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
});
export type VerdictCounts = z.infer<typeof CountsSchema>;

export const AlertSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("rate"),
    /** Incomplete runs of the finished runs in the window. */
    incomplete: z.number().int(),
    finished: z.number().int(),
    rate: z.number(),
    /** The baseline rate (k+1)/(n+2) the window is tested against. */
    baselineRate: z.number(),
    /**
     * Set when the alert fired on the ceiling (at least half incomplete, whatever the baseline): the rate
     * the p-value is computed under, 0.5. Absent: it is `baselineRate`.
     */
    testedRate: z.number().optional(),
    /** P(X ≥ incomplete) for X ~ Binomial(finished, testedRate ?? baselineRate). */
    pValue: z.number(),
    alpha: z.number(),
    message: z.string(),
  }),
  z.object({
    kind: z.literal("silence"),
    /** Runs of this agent in the baseline; the window has none. */
    baselineRuns: z.number().int(),
    /** The start of its latest run in the baseline, ISO 8601. */
    lastRun: z.string(),
    message: z.string(),
  }),
]);
export type Alert = z.infer<typeof AlertSchema>;

/** Finished and incomplete runs per bucket, from the baseline's start to the window's end. */
export const SeriesSchema = z.object({
  /** Start of the first bucket, ISO 8601. */
  from: z.string(),
  /** Length of each bucket (the window's, or longer so there are at most 200). */
  step: z.string(),
  finished: z.array(z.number().int().nonnegative()),
  incomplete: z.array(z.number().int().nonnegative()),
});
export type Series = z.infer<typeof SeriesSchema>;

export const AgentSummarySchema = z.object({
  service: z.string(),
  agent: z.string(),
  /** Runs in the window by verdict. */
  runs: CountsSchema,
  /** Runs in the baseline by verdict. */
  baselineRuns: CountsSchema,
  /** Incomplete over finished runs in the window; null with no finished run. */
  incompleteRate: z.number().nullable(),
  /** (k+1)/(n+2) over the baseline's finished runs. */
  baselineRate: z.number(),
  /** How often each reason code occurs in the window's runs. */
  reasons: z.record(z.string(), z.number().int()),
  alert: AlertSchema.nullable(),
  series: SeriesSchema,
});
export type AgentSummary = z.infer<typeof AgentSummarySchema>;

export const EpisodeSchema = z.object({
  service: z.string(),
  agent: z.string(),
  kind: z.enum(["rate", "silence"]),
  /** When the alert first fired (the window's end of that audit), ISO 8601. */
  start: z.string(),
  /** When it stopped firing; null while open. */
  end: z.string().nullable(),
  /** The highest incomplete rate seen during the episode (rate episodes). */
  peakRate: z.number().nullable(),
  /**
   * The baseline rate the alert first fired against (rate episodes; null for silence; absent in state
   * files written before it was kept). The episode ends when the window's rate falls below twice it,
   * not when the baseline has taken the failure in and the alert stops firing for that reason.
   */
  baselineRate: z.number().nullable().optional(),
  /** Reason codes seen during the episode, with counts. */
  reasons: z.record(z.string(), z.number().int()),
  /** The audits that saw it open. */
  audits: z.number().int().positive(),
  lastSeen: z.string(),
});
export type Episode = z.infer<typeof EpisodeSchema>;

/** A database store's retention, read from the table and judged against the profile. */
export const StoreRetentionSchema = z.object({
  /** The table's TTL as the database prints it; null without one. */
  ttl: z.string().nullable(),
  /** Whole parts expire at once (`ttl_only_drop_parts`). */
  ttlOnlyDropParts: z.boolean(),
  /** How long every record is kept at least; null when no TTL deletes by age. */
  configured: z.string().nullable(),
  /** The profile's `retention.minimum`; null without one. */
  required: z.string().nullable(),
  ok: z.boolean(),
  message: z.string(),
});
export type StoreRetention = z.infer<typeof StoreRetentionSchema>;

export const StoreSummarySchema = z.object({
  spec: z.string(),
  /** Files or objects read, and those skipped because the window can't need them. */
  read: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  spans: z.number().int().nonnegative(),
  /**
   * Runs counted (started in the window or the baseline) that have a span in this store. 0: the store
   * showed nothing to audit — empty, pruned away or holding only other periods — which is no all-clear.
   */
  runs: z.number().int().nonnegative(),
  /** Nothing older than this is in the store (its retention edge), ISO 8601. */
  edge: z.string().nullable(),
  integrity: z.object({ valid: z.boolean(), findings: z.array(z.string()) }).nullable(),
  /** Retention as the store itself declares it (a ClickHouse table's TTL); null when it declares none. */
  retention: StoreRetentionSchema.nullable(),
});
export type StoreSummary = z.infer<typeof StoreSummarySchema>;

/** The JSON output of `trailcheck audit` (schemas/audit.schema.json). */
export const AuditReportSchema = z.object({
  version: z.literal(1),
  window: z.object({ from: z.string(), to: z.string() }),
  baseline: z.object({ from: z.string(), to: z.string() }),
  now: z.string(),
  profile: z.string(),
  settings: z.object({
    grace: z.string(),
    minRuns: z.number().int(),
    alpha: z.number(),
    logging: z.string().nullable(),
  }),
  stores: z.array(StoreSummarySchema),
  /** The guard's write-ahead ledgers given with --ledger: each verified while read. */
  ledgers: z.array(
    z.object({
      name: z.string(),
      valid: z.boolean(),
      /** Why it fails verification; null when it verifies. */
      message: z.string().nullable(),
    }),
  ),
  agents: z.array(AgentSummarySchema),
  /** Incomplete and pending runs of the window, worst first (every run with --all-runs). */
  runs: z.array(AuditRunSchema),
  /** Alert episodes from the state file (with --state), oldest first. */
  episodes: z.array(EpisodeSchema),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** Where the committed JSON Schema of the JSON output lives, relative to the package root. */
export const AUDIT_SCHEMA_PATH = "schemas/audit.schema.json";

export function auditJsonSchemaText(): string {
  return jsonSchemaText(
    documentedJsonSchema(AuditReportSchema, {
      io: "output",
      id: "https://trailcheck.dev/schemas/audit.schema.json",
      title: "trailcheck audit",
      description:
        "The JSON output of `trailcheck audit` (and audit.json): per-agent verdict counts, rates and alerts over a window of production runs, the incomplete runs with their reasons, and alert episodes.",
    }),
  );
}
