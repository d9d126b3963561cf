/**
 * The test-metadata contract: how a suite hands its result to `trailcheck run`'s reporter.
 *
 * A test in `suites/` calls `recordResult(task, result)` once, with the test context's `task`:
 *
 * ```ts
 * it("INC-0001 refund run sampled away", async ({ task }) => {
 *   const result = await checkIncident(loaded, ctx);
 *   recordResult(task, {
 *     kind: "incident", id: "INC-0001", title: loaded.incident.title, tags: ["customer-complaint"],
 *     verdicts: result.verdicts, comparisons: result.comparisons, records: loaded.records,
 *   });
 *   expect(result).toBeReconstructable();
 * });
 * ```
 *
 * Call it *before* the assertions, so a failing test still carries its gaps. The value is validated
 * here (a malformed result fails the test that recorded it, not the report), made small and
 * JSON-safe, and stored under `task.meta.trailcheck`; vitest carries it to the reporter process,
 * which reads it back with `readResultMeta(testCase.meta())`. Tests that record nothing still appear
 * in the report as plain tests with their pass/fail state.
 *
 * Kinds: `incident` (a recorded run + expected facts), `property` (fast-check; `property` holds the
 * seed, path and replay command), `check` (the logging config alone; `probabilities` and
 * `retention`), `replay` (a real agent run; `agent.failed` makes `trailcheck run` exit 3).
 */
import { z } from "zod";
import { ActionKindSchema, FactNameSchema } from "../model/action.js";
import { RunVerdictSchema } from "../model/gap.js";
import { LayerKindSchema, type SpanRecord } from "../model/record.js";
import type { RunComparison } from "../reconstruct/compare.js";
import { timelineOf } from "./timeline.js";

export const ResultKindSchema = z.enum(["incident", "property", "check", "replay"]);
export type ResultKind = z.infer<typeof ResultKindSchema>;

/**
 * How one fact of an action came out of the pipeline: kept as emitted, masked or hashed, missing
 * (lost on the way), expired (the record's retention ended before the audit) or never emitted.
 */
export const FactMarkSchema = z.enum(["present", "masked", "missing", "expired", "not-emitted", "unchecked"]);
export type FactMark = z.infer<typeof FactMarkSchema>;

/** One action of a run as recorded (truth) beside its reconstruction. */
export const TimelineActionSchema = z.object({
  kind: ActionKindSchema,
  name: z.string(),
  spanId: z.string().optional(),
  /** Nesting under the run's other actions, 0 for the root. */
  depth: z.number().int().nonnegative(),
  /** Milliseconds from the run's first record, when the records were given. */
  offsetMs: z.number().optional(),
  failed: z.boolean(),
  /** False when the action is known only indirectly (a model asked for a tool that left no record). */
  hasRecord: z.boolean(),
  facts: z.array(
    z.object({
      fact: FactNameSchema,
      /** The recorded value, clipped; absent when the agent never emitted it. */
      recorded: z.string().optional(),
      stored: FactMarkSchema,
    }),
  ),
});
export type TimelineAction = z.infer<typeof TimelineActionSchema>;

export const RunTimelineSchema = z.object({
  traceId: z.string(),
  actions: z.array(TimelineActionSchema),
});
export type RunTimeline = z.infer<typeof RunTimelineSchema>;

/** A property's run: everything needed to reproduce a failure. */
export const PropertyInfoSchema = z.object({
  seed: z.union([z.number(), z.string()]),
  /** fast-check's shrink path of the counterexample. */
  path: z.string().optional(),
  /** A shell command that replays exactly this failure. */
  replay: z.string().optional(),
  numRuns: z.number().int().nonnegative(),
  /** The (shrunk) counterexample, as short text. */
  counterexample: z.string().optional(),
  hint: z.string().optional(),
});
export type PropertyInfo = z.infer<typeof PropertyInfoSchema>;

/** The chance a record of one kind survives one stream, per class of run (null: no such record). */
export const ProbabilityRowSchema = z.object({
  stream: z.string(),
  kind: LayerKindSchema,
  plain: z.number().min(0).max(1).nullable(),
  failed: z.number().min(0).max(1).nullable(),
  denied: z.number().min(0).max(1).nullable(),
});
export type ProbabilityRow = z.infer<typeof ProbabilityRowSchema>;

const RequirementSchema = z.object({
  configured: z.string(),
  required: z.string().optional(),
  ok: z.boolean(),
});

/** One stream's retention, availability, integrity and correlation against the profile. */
export const RetentionRowSchema = z.object({
  stream: z.string(),
  profile: z.string(),
  retention: RequirementSchema,
  available: RequirementSchema,
  integrity: RequirementSchema,
  correlation: z.object({ kept: z.array(z.string()), missing: z.array(z.string()) }),
});
export type RetentionRow = z.infer<typeof RetentionRowSchema>;

/** A replay's agent run; `failed` means the agent itself could not be run (crash, hang, no flush). */
export const AgentOutcomeSchema = z.object({
  failed: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  /** A process the agent left running outside its process group: a note, not a failure. */
  leftover: z.string().optional(),
});
export type AgentOutcome = z.infer<typeof AgentOutcomeSchema>;

/** What a suite records of a replay's agent run: whether it could be run, and what it left running. */
export function agentOutcome(replay: {
  readonly failure?: { readonly kind: string; readonly message: string };
  readonly leftover?: string;
}): AgentOutcome {
  const { failure, leftover } = replay;
  return {
    failed: failure !== undefined,
    ...(failure ? { code: failure.kind, message: failure.message } : {}),
    ...(leftover ? { leftover } : {}),
  };
}

/** What a suite records on its test: the stored form, validated and JSON-safe. */
export const ResultMetaSchema = z.object({
  kind: ResultKindSchema,
  /** Stable across runs: the incident id, the property's name, `config:<stream>`. Baselines match on it. */
  id: z.string().min(1),
  title: z.string(),
  tags: z.array(z.string()).default([]),
  verdicts: z.array(RunVerdictSchema).default([]),
  /**
   * Each run's actions, recorded beside reconstructed. In results.json, a result that names its
   * `source` keeps them only when the report shows it in full (src/report/detail.ts).
   */
  runs: z.array(RunTimelineSchema).optional(),
  property: PropertyInfoSchema.optional(),
  probabilities: z.array(ProbabilityRowSchema).optional(),
  retention: z.array(RetentionRowSchema).optional(),
  agent: AgentOutcomeSchema.optional(),
  /** The file the recorded run comes from (an incident), relative to the project root, `/`-separated. */
  source: z.string().optional(),
  /** The profile and audit time the result was decided under. */
  profile: z.string().optional(),
  auditAfter: z.string().optional(),
});
export type ResultMeta = z.infer<typeof ResultMetaSchema>;

/** What `recordResult` accepts: the stored form, plus engine output it converts for you. */
export type ResultInput = z.input<typeof ResultMetaSchema> & {
  /** `CheckResult.comparisons`: turned into `runs` (timelines with present/masked/missing/expired facts). */
  readonly comparisons?: readonly RunComparison[];
  /** The run's records, for the timeline's time offsets. */
  readonly records?: readonly SpanRecord[];
};

/** The key under `task.meta`. */
export const META_KEY = "trailcheck";

declare module "vitest" {
  interface TaskMeta {
    /** Set by `recordResult` (src/report/meta.ts). */
    trailcheck?: ResultMeta;
  }
}

/** Gap and verdict messages may hold span content of any size; the report needs a line, not a payload. */
const MAX_TEXT = 2_000;
const clipText = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/**
 * Hands a suite's result to trailcheck's reporter. Validates it (throws with zod's message when it
 * doesn't fit the contract), converts `comparisons` to timelines and stores it on `task.meta`.
 * Returns the stored value.
 */
export function recordResult(task: { meta: object }, result: ResultInput): ResultMeta {
  const { comparisons, records, ...rest } = result;
  const runs = rest.runs ?? comparisons?.map((c) => timelineOf(c, records ?? []));
  const parsed = ResultMetaSchema.parse({ ...rest, ...(runs ? { runs } : {}) });
  const meta: ResultMeta = {
    ...parsed,
    verdicts: parsed.verdicts.map((v) => ({
      ...v,
      gaps: v.gaps.map((g) => ({ ...g, message: clipText(g.message), hint: clipText(g.hint) })),
    })),
  };
  // Plain JSON: vitest serialises meta across the worker boundary.
  (task.meta as Record<string, unknown>)[META_KEY] = JSON.parse(JSON.stringify(meta));
  return meta;
}

/** Reads the result a test recorded, if any (in the reporter: `readResultMeta(testCase.meta())`). */
export function readResultMeta(meta: object | undefined): ResultMeta | undefined {
  const value = (meta as Record<string, unknown> | undefined)?.[META_KEY];
  if (value === undefined) return undefined;
  const parsed = ResultMetaSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
