/**
 * `results.json`: what one `trailcheck run` (or a merge of shards) found, in a stable, versioned
 * format. Additions keep the version; renaming or removing a field, or changing its meaning, raises
 * it. The JSON Schema generated from this zod schema is committed at `schemas/results.schema.json`.
 *
 * Version 2 (version 1 is still read, see read.ts): `findings` groups the gaps; the baseline
 * comparison names new and unchanged gaps by identity instead of repeating them; a run's recorded
 * values are kept only for the tests the report shows in full, the others point to their `source`;
 * a skipped test says why (`skipReason`).
 */
import { z } from "zod";
import { ActionKindSchema, FactNameSchema } from "../model/action.js";
import { CauseSchema, SeveritySchema } from "../model/gap.js";
import { documentedJsonSchema, jsonSchemaText } from "../model/json-schema.js";
import { FindingSchema } from "./findings.js";
import { ResultKindSchema, ResultMetaSchema } from "./meta.js";

export const RESULTS_VERSION = 2;

export const TestStateSchema = z.enum(["passed", "failed", "skipped"]);
export type TestState = z.infer<typeof TestStateSchema>;

/** One vitest test case and the result its suite recorded. */
export const TestEntrySchema = z.object({
  /** Stable identity: `<kind>:<id>` when the test recorded a result, else `test:<file> > <name>`. */
  id: z.string(),
  /** The test's full name (suites joined with ` > `). */
  name: z.string(),
  /** The suite file, relative to the project root, with `/` separators. */
  file: z.string(),
  state: TestStateSchema,
  durationMs: z.number().nonnegative(),
  kind: z.union([ResultKindSchema, z.literal("test")]),
  /** Failure messages (assertion or thrown errors), clipped; only their first line when the test recorded gaps. */
  failures: z.array(z.string()),
  /** Why a skipped test did not run, when it said (vitest's `skip(note)`). */
  skipReason: z.string().optional(),
  /** What the test recorded through `recordResult` (src/report/meta.ts). */
  result: ResultMetaSchema.optional(),
});
export type TestEntry = z.infer<typeof TestEntrySchema>;

/** A gap as compared with a baseline: identified by test, action, fact and cause — never position. */
export const GapRefSchema = z.object({
  identity: z.string(),
  test: z.string(),
  title: z.string(),
  cause: CauseSchema,
  stage: z.string(),
  fact: FactNameSchema,
  action: z.object({ kind: ActionKindSchema, name: z.string() }),
  severity: SeveritySchema,
  message: z.string(),
  hint: z.string(),
  /** How many gaps share the identity (e.g. the same tool called twice in a run). */
  count: z.number().int().positive(),
});
export type GapRef = z.infer<typeof GapRefSchema>;

export const BaselineComparisonSchema = z.object({
  /** The baseline file as given on the command line. */
  file: z.string(),
  /** Identities of the gaps the baseline doesn't have (the gaps themselves are in `tests`). */
  new: z.array(z.string()),
  /** The baseline's gaps that are gone, in full (no test holds them any more). */
  fixed: z.array(GapRefSchema),
  /** Identities of the gaps both have. */
  unchanged: z.array(z.string()),
});
export type BaselineComparison = z.infer<typeof BaselineComparisonSchema>;

export const EnvironmentSchema = z.object({
  trailcheck: z.string(),
  node: z.string(),
  vitest: z.string(),
  platform: z.string(),
  /** vitest's sequence seed for this run. */
  seed: z.number().optional(),
  /** The configs the results depend on, so an auditor can tell which config was checked. */
  configFiles: z.array(
    z.object({
      path: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** The part the file plays: `project` (the config `run` was given), `logging`, `otelcol`, `storage`, `profile`. */
      role: z.enum(["project", "logging", "otelcol", "storage", "profile"]).optional(),
    }),
  ),
  /** `i/n` for one shard's results; absent once merged. */
  shard: z.string().optional(),
  filter: z.string().optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export const VerdictSchema = z.enum(["pass", "gaps", "agent-failed"]);
export type Verdict = z.infer<typeof VerdictSchema>;

export const ResultsSchema = z.object({
  $schema: z.string().optional(),
  version: z.literal(RESULTS_VERSION),
  /** `pass`: no failing test; `gaps`: a test failed; `agent-failed`: a replay's agent could not run. */
  verdict: VerdictSchema,
  /** The exit code `trailcheck run` ends with for these results. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
  generatedAt: z.iso.datetime(),
  environment: EnvironmentSchema,
  totals: z.object({
    tests: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    gaps: z.number().int().nonnegative(),
    /** Current findings (the fixed ones are not counted). */
    findings: z.number().int().nonnegative(),
  }),
  /** The gaps grouped by cause, stage, action and fact; new, fixed, unchanged, then worst first. */
  findings: z.array(FindingSchema),
  /** Sorted by file, then name, so shards merged equal one run. */
  tests: z.array(TestEntrySchema),
  /** Errors outside any test (a suite that failed to load, an unhandled rejection). */
  errors: z.array(z.string()),
  baseline: BaselineComparisonSchema.optional(),
});
export type Results = z.infer<typeof ResultsSchema>;

/** Where the committed JSON Schema lives, relative to the package root. */
export const RESULTS_SCHEMA_PATH = "schemas/results.schema.json";

/** The JSON Schema of `results.json`, generated from the zod schema so the two never drift. */
export function resultsJsonSchema(): Record<string, unknown> {
  return documentedJsonSchema(ResultsSchema, {
    io: "output",
    id: "https://trailcheck.dev/schemas/results.schema.json",
    title: "trailcheck results",
    description:
      "What one `trailcheck run` found: every test with the gaps its suite recorded, the environment and the baseline comparison.",
  });
}

export function resultsJsonSchemaText(): string {
  return jsonSchemaText(resultsJsonSchema());
}
