/**
 * Which tests the report shows in full (the recorded run's values beside the reconstruction) and
 * which as a line: a thousand copies of one failure need their finding and a few examples, not a
 * thousand timelines. Pure.
 */
import type { Finding } from "./findings.js";
import type { TestEntry } from "./results.js";

/** Failing tests shown in full besides every finding's examples, the first ones in test order. */
export const DETAIL_FAILING = 20;
/** Passing tests shown in full (inside their closed line), the first ones in test order. */
export const DETAIL_PASSING = 10;

/**
 * The ids of the tests shown in full: every current finding's examples, the first DETAIL_FAILING
 * failing and the first DETAIL_PASSING passing tests that recorded runs. Each part takes the first
 * tests in test order, so a test the merged report shows in full is one its shard showed in full.
 */
export function detailedTests(tests: readonly TestEntry[], findings: readonly Finding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) if (f.status !== "fixed") for (const id of f.examples) out.add(id);
  const withRuns = tests.filter((t) => (t.result?.runs?.length ?? 0) > 0);
  for (const t of withRuns.filter((x) => x.state === "failed").slice(0, DETAIL_FAILING)) out.add(t.id);
  for (const t of withRuns.filter((x) => x.state === "passed").slice(0, DETAIL_PASSING)) out.add(t.id);
  return out;
}

/**
 * Drops the runs (recorded values and reconstruction) of the tests not shown in full whose result
 * names its source file: the recorded run is there, and results.json keeps every gap it lost.
 */
export function withoutRepeatedRuns(tests: readonly TestEntry[], detailed: ReadonlySet<string>): TestEntry[] {
  return tests.map((t) => {
    if (!t.result?.source || !t.result.runs || detailed.has(t.id)) return t;
    const { runs: _runs, ...result } = t.result;
    return { ...t, result };
  });
}
