import { ExitCode } from "../errors.js";
import { compareWithBaseline } from "./baseline.js";
import { detailedTests, withoutRepeatedRuns } from "./detail.js";
import { findingsOf } from "./findings.js";
import { type Environment, RESULTS_VERSION, type Results, type TestEntry, type Verdict } from "./results.js";

export interface AssembleInput {
  readonly tests: readonly TestEntry[];
  readonly errors: readonly string[];
  readonly environment: Environment;
  readonly generatedAt: Date;
  readonly baseline?: { readonly file: string; readonly results: Pick<Results, "tests"> };
}

const byFileThenName = (a: TestEntry, b: TestEntry) =>
  a.file === b.file ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.file < b.file ? -1 : 1;

/**
 * A run a test recorded as not reconstructable. Counted whatever the test's own state: a suite of the
 * user's that records its gaps and asserts nothing must not pass as "every run reconstructable".
 */
export const recordsGaps = (t: TestEntry) =>
  t.state !== "skipped" && (t.result?.verdicts ?? []).some((v) => !v.reconstructable || v.gaps.length > 0);

/** A replay whose agent could not be run outranks gaps: its "gaps" would be an artefact of the crash. */
export function verdictOf(tests: readonly TestEntry[], errors: readonly string[]): Verdict {
  if (tests.some((t) => t.result?.agent?.failed)) return "agent-failed";
  return tests.some((t) => t.state === "failed" || recordsGaps(t)) || errors.length > 0 ? "gaps" : "pass";
}

export function exitCodeOf(verdict: Verdict): 0 | 1 | 3 {
  return verdict === "pass" ? ExitCode.ok : verdict === "gaps" ? ExitCode.gaps : ExitCode.agentFailed;
}

/**
 * The results document: tests in a fixed order, findings, totals, the verdict and the baseline
 * comparison; recorded runs the report doesn't show in full point to their source instead. Pure.
 */
export function assembleResults(input: AssembleInput): Results {
  const sorted = [...input.tests].sort(byFileThenName);
  const compared = input.baseline
    ? compareWithBaseline({ tests: sorted }, input.baseline.results, input.baseline.file)
    : undefined;
  const findings = compared?.findings ?? findingsOf(sorted);
  const tests = withoutRepeatedRuns(sorted, detailedTests(sorted, findings));
  const verdict = verdictOf(tests, input.errors);
  const count = (state: TestEntry["state"]) => tests.filter((t) => t.state === state).length;
  const results: Results = {
    $schema: "https://trailcheck.dev/schemas/results.schema.json",
    version: RESULTS_VERSION,
    verdict,
    exitCode: exitCodeOf(verdict),
    generatedAt: input.generatedAt.toISOString(),
    environment: input.environment,
    totals: {
      tests: tests.length,
      passed: count("passed"),
      failed: count("failed"),
      skipped: count("skipped"),
      gaps: tests.reduce((n, t) => n + (t.result?.verdicts ?? []).reduce((m, v) => m + v.gaps.length, 0), 0),
      findings: findings.filter((f) => f.status !== "fixed").length,
    },
    findings,
    tests,
    errors: [...input.errors],
  };
  if (compared) results.baseline = compared.comparison;
  return results;
}

/**
 * Several shards' results as one: every test once (a test id seen twice keeps its first entry), the
 * errors of all, the environment of the first shard without its shard mark, the newest timestamp.
 */
export function mergeResults(shards: readonly Results[], baseline?: AssembleInput["baseline"]): Results {
  const first = shards[0];
  if (!first) throw new Error("mergeResults needs at least one results document");
  const seen = new Set<string>();
  const tests: TestEntry[] = [];
  for (const shard of shards) {
    for (const test of shard.tests) {
      const key = `${test.file}\u0000${test.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tests.push(test);
    }
  }
  const { shard: _shard, ...environment } = first.environment;
  const newest = shards
    .map((s) => s.generatedAt)
    .sort()
    .at(-1)!;
  return assembleResults({
    tests,
    errors: shards.flatMap((s) => s.errors),
    environment,
    generatedAt: new Date(newest),
    ...(baseline ? { baseline } : {}),
  });
}
